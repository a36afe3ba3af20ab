#include "service/evaluation/state_cache.h"

namespace driftgate::service {

std::optional<evaluate::State> StateCache::Take(std::int64_t model_id, const StateKey& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model_id);
  if (it == entries_.end()) {
    ++misses_;
    return std::nullopt;
  }
  std::optional<evaluate::State> out;
  if (it->second.key == key) {
    out = std::move(it->second.state);
    ++hits_;
  } else {
    ++misses_;
  }
  lru_.erase(it->second.lru);
  entries_.erase(it);
  return out;
}

void StateCache::Put(std::int64_t model_id, const StateKey& key, evaluate::State state) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(model_id); it != entries_.end()) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
  lru_.push_front(model_id);
  entries_.emplace(model_id, Entry{.key = key, .state = std::move(state), .lru = lru_.begin()});
  while (entries_.size() > capacity_) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
}

std::uint64_t StateCache::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

std::uint64_t StateCache::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}

std::size_t StateCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace driftgate::service
