// Per-principal request-rate limit: one token bucket per key (a token id, or "admin-env") that refills
// at `rate_per_second` up to `burst` and gives one token per request. Off when the rate is 0.
//
// Time is an argument, so the arithmetic is testable without a clock. Buckets live in memory, one per
// key that made a request; keys are authenticated principals, so their number is bounded by the tokens
// table. Each replica limits on its own (a client spread over N replicas gets up to N times the rate).
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace driftgate::service {

struct RateLimitOptions {
  double rate_per_second = 0.0;  // 0: no limit
  double burst = 0.0;            // bucket size; 0 with a rate: max(1, rate)
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimitOptions options);

  bool enabled() const { return options_.rate_per_second > 0; }
  // Takes one token from `key`'s bucket. nullopt: allowed; else the seconds until a token is available.
  std::optional<double> Take(const std::string& key, std::chrono::steady_clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0.0;
    std::chrono::steady_clock::time_point last{};
  };
  RateLimitOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_{};
};

}  // namespace driftgate::service
