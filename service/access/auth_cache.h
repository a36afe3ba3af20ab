// Bounded, flood-safe memory for the authenticator (service/access/auth.h): a cache with expiry and
// oldest-first eviction, and a per-client-address budget of failed authentications.
//
// Both hold at most `capacity` keys and evict one old key per new one (never everything at once), so a
// flood of new keys costs O(1) per request and cannot empty the memory of anything else: the
// authenticator keeps known tokens and unknown ones in two separate caches, so fake tokens only ever
// evict fake tokens. Time is an argument (testable without a clock). Not thread-safe: the caller locks.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace driftgate::service {

using SteadyTime = std::chrono::steady_clock::time_point;

template <class V>
class BoundedCache {
 public:
  explicit BoundedCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // The live value of `key`, or nullptr (absent or expired).
  const V* Find(const std::string& key, SteadyTime now) const {
    auto it = map_.find(key);
    if (it == map_.end() || it->second.expires <= now) return nullptr;
    return &it->second.value;
  }

  void Put(const std::string& key, V value, SteadyTime expires) {
    const std::uint64_t seq = ++seq_;
    map_.insert_or_assign(key, Entry{std::move(value), expires, seq});
    order_.emplace_back(key, seq);
    // Oldest first; a key re-inserted later has a newer seq, so its old queue slot removes nothing.
    while (map_.size() > capacity_ || order_.size() > 2 * capacity_) {
      auto [old_key, old_seq] = std::move(order_.front());
      order_.pop_front();
      auto it = map_.find(old_key);
      if (it != map_.end() && it->second.seq == old_seq) map_.erase(it);
    }
  }

  void Erase(const std::string& key) { map_.erase(key); }
  void Clear() {
    map_.clear();
    order_.clear();
  }
  std::size_t size() const { return map_.size(); }

 private:
  struct Entry {
    V value;
    SteadyTime expires;
    std::uint64_t seq;
  };
  std::size_t capacity_;
  std::uint64_t seq_ = 0;
  std::unordered_map<std::string, Entry> map_{};
  std::deque<std::pair<std::string, std::uint64_t>> order_{};
};

struct ThrottleOptions {
  double failures_per_second = 10.0;  // refill rate of each address's budget; 0: no limit
  double burst = 100.0;               // failures an address may make in a row
  std::size_t max_clients = 10000;    // addresses remembered (oldest forgotten first)
};

// A token bucket of failed authentications per client address.
class FailureThrottle {
 public:
  explicit FailureThrottle(ThrottleOptions options) : options_(options), buckets_(options.max_clients) {}

  bool enabled() const { return options_.failures_per_second > 0; }
  // nullopt: `client` may try; else the seconds until it may.
  std::optional<double> Wait(const std::string& client, SteadyTime now) const {
    if (!enabled() || client.empty()) return std::nullopt;
    const Bucket* b = buckets_.Find(client, now);
    if (b == nullptr) return std::nullopt;
    const double tokens = Refilled(*b, now);
    if (tokens >= 1.0) return std::nullopt;
    return (1.0 - tokens) / options_.failures_per_second;
  }
  void RecordFailure(const std::string& client, SteadyTime now) {
    if (!enabled() || client.empty()) return;
    const Bucket* b = buckets_.Find(client, now);
    const double tokens = b ? Refilled(*b, now) : options_.burst;
    // Forgotten once full again: an address that stopped failing takes no memory.
    const auto full_in =
        std::chrono::duration<double>((options_.burst - tokens + 1) / options_.failures_per_second);
    buckets_.Put(client, Bucket{.tokens = tokens - 1.0, .at = now},
                 now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(full_in));
  }

 private:
  struct Bucket {
    double tokens = 0;
    SteadyTime at{};
  };
  double Refilled(const Bucket& b, SteadyTime now) const {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    const double t = b.tokens + (elapsed > 0 ? elapsed : 0) * options_.failures_per_second;
    return t < options_.burst ? t : options_.burst;
  }

  ThrottleOptions options_;
  BoundedCache<Bucket> buckets_;
};

}  // namespace driftgate::service
