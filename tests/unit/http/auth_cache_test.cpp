// service::BoundedCache and service::FailureThrottle (service/access/auth_cache.h): eviction one at a time,
// oldest first, and the per-address budget of failed authentications. Time is an argument.
#include "service/access/auth_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace driftgate::service {
namespace {

using std::chrono::seconds;

// The live value under `key`, or -1.
int Value(const BoundedCache<int>& cache, const std::string& key, SteadyTime now) {
  const int* v = cache.Find(key, now);
  return v ? *v : -1;
}

TEST(BoundedCache, AFullCacheEvictsItsOldestEntryNotEverything) {
  const SteadyTime t0{};
  BoundedCache<int> cache(3);
  for (int i = 0; i < 3; ++i) cache.Put("k" + std::to_string(i), i, t0 + seconds(60));
  cache.Put("k3", 3, t0 + seconds(60));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(Value(cache, "k0", t0), -1);
  EXPECT_EQ(Value(cache, "k1", t0), 1);
  EXPECT_EQ(Value(cache, "k3", t0), 3);
  // Re-putting a key makes it the newest: the next eviction takes k2, not k1's fresh copy.
  cache.Put("k1", 10, t0 + seconds(60));
  cache.Put("k4", 4, t0 + seconds(60));
  EXPECT_EQ(Value(cache, "k2", t0), -1);
  EXPECT_EQ(Value(cache, "k1", t0), 10);
  EXPECT_EQ(Value(cache, "k4", t0 + seconds(60)), -1);  // expired
}

TEST(FailureThrottle, AnAddressGetsItsBurstThenItsRate) {
  const SteadyTime t0{};
  FailureThrottle throttle({.failures_per_second = 2.0, .burst = 3.0, .max_clients = 10});
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(throttle.Wait("10.0.0.1", t0).has_value());
    throttle.RecordFailure("10.0.0.1", t0);
  }
  const auto wait = throttle.Wait("10.0.0.1", t0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_DOUBLE_EQ(*wait, 0.5);
  EXPECT_FALSE(throttle.Wait("10.0.0.2", t0).has_value());  // other addresses are not affected
  EXPECT_FALSE(throttle.Wait("10.0.0.1", t0 + std::chrono::milliseconds(500)).has_value());
  EXPECT_FALSE(throttle.Wait("", t0).has_value());  // no address (in-process callers): not limited
}

TEST(FailureThrottle, OffWhenTheRateIsZero) {
  FailureThrottle throttle({.failures_per_second = 0, .burst = 1, .max_clients = 10});
  for (int i = 0; i < 100; ++i) throttle.RecordFailure("a", SteadyTime{});
  EXPECT_FALSE(throttle.Wait("a", SteadyTime{}).has_value());
}

}  // namespace
}  // namespace driftgate::service
