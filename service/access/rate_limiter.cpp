#include "service/access/rate_limiter.h"

#include <algorithm>

namespace driftgate::service {

RateLimiter::RateLimiter(RateLimitOptions options) : options_(options) {
  if (options_.rate_per_second > 0 && options_.burst <= 0)
    options_.burst = std::max(1.0, options_.rate_per_second);
}

std::optional<double> RateLimiter::Take(const std::string& key, std::chrono::steady_clock::time_point now) {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mu_);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{.tokens = options_.burst, .last = now});
  Bucket& b = it->second;
  if (!inserted && now > b.last) {
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(options_.burst, b.tokens + elapsed * options_.rate_per_second);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  return (1.0 - b.tokens) / options_.rate_per_second;
}

}  // namespace driftgate::service
