// Evaluation state kept in the process that last evaluated a model, so that a label batch does not
// reload and decode the whole persisted state (KPI window + detector snapshots, ~30 KB of JSON) every time
// (a version check against PostgreSQL tells whether another process has evaluated it since).
//
// PostgreSQL stays the source of truth. An entry is keyed by the model_state row's stamp — its `version`
// and `xmin` (the id of the transaction that wrote it) — plus the model's generation and config update
// time. An evaluation reads the row's current stamp under the model's exclusive lock and uses the cached
// state only when every part matches, so a write by another replica, a rolled-back write, a deleted and
// re-created row (fresh baseline) or a changed config all miss and fall back to decoding the row. Storing
// an entry right after the (uncommitted) write is safe for the same reason: if that transaction rolls back,
// no committed row ever carries its xmin.
//
// Bounded: at most `capacity` models (least recently used evicted); a miss only costs a decode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/evaluate/evaluator.h"

namespace driftgate::service {

struct StateKey {
  std::int64_t version = 0;
  std::int64_t xmin = 0;
  int generation = 0;
  std::int64_t config_updated_us = 0;
  bool operator==(const StateKey&) const = default;
};

class StateCache {
 public:
  explicit StateCache(std::size_t capacity = 256) : capacity_(capacity) {}
  StateCache(const StateCache&) = delete;
  StateCache& operator=(const StateCache&) = delete;

  // Removes and returns the state cached for `model_id` when its key equals `key`; a stale entry is dropped.
  std::optional<evaluate::State> Take(std::int64_t model_id, const StateKey& key);
  void Put(std::int64_t model_id, const StateKey& key, evaluate::State state);

  std::uint64_t hits() const;
  std::uint64_t misses() const;
  std::size_t size() const;

 private:
  struct Entry {
    StateKey key;
    evaluate::State state;
    std::list<std::int64_t>::iterator lru;
  };
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::list<std::int64_t> lru_{};  // most recent first
  std::unordered_map<std::int64_t, Entry> entries_{};
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace driftgate::service
