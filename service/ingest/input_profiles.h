// The reference profiles that prediction ingest judges each record by (core/evaluate/input_quality.h),
// kept in the process that last used them.
//
// A profile is derived from PostgreSQL alone — the model's reference rows at one reference version, and the
// feature dictionary's positions — so every replica judges a record the same way. A version is immutable
// once the reference is complete ('auto' references only grow while they are captured and are judged by
// only when complete; an upload or a retrain's new capture bumps the version), so an entry keyed by
// (model, version) never goes stale. Built inside the ingest transaction (the dictionary positions it hands
// out commit with it) and kept only after that commit: a rolled-back build leaves nothing behind.
//
// Bounded: at most `capacity` models (least recently used evicted); a miss costs one read and parse of
// the reference (drift.reference.size rows).
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "core/domain/model.h"
#include "core/domain/records.h"
#include "core/evaluate/data_quality.h"
#include "db/handles.h"

namespace driftgate::service {

struct InputProfile {
  int reference_version = 0;
  evaluate::ReferenceProfile reference{};
  std::map<std::string, std::uint16_t> positions{};  // feature → dictionary position
};

class InputProfiles {
 public:
  explicit InputProfiles(std::size_t capacity = 256) : capacity_(capacity) {}
  InputProfiles(const InputProfiles&) = delete;
  InputProfiles& operator=(const InputProfiles&) = delete;

  // The cached profile of `model_id` at `reference_version`, or null.
  std::shared_ptr<const InputProfile> Find(std::int64_t model_id, int reference_version);
  // Keeps `profile` (call after the transaction that built it committed).
  void Keep(std::int64_t model_id, std::shared_ptr<const InputProfile> profile);

 private:
  struct Entry {
    std::shared_ptr<const InputProfile> profile;
    std::list<std::int64_t>::iterator lru;
  };
  std::size_t capacity_;
  std::mutex mu_;
  std::list<std::int64_t> lru_{};  // most recent first
  std::unordered_map<std::int64_t, Entry> entries_{};
};

// Builds the profile of the model's current reference rows (version `reference_version`) and gives its
// features dictionary positions, in `tx`.
std::shared_ptr<const InputProfile> BuildInputProfile(pqxx::transaction_base& tx, std::int64_t model_id,
                                                      int reference_version);

// Sets every record's input_faults against `profile` (nullptr: not judged, nullopt) with `spec` (disabled:
// not judged).
void JudgeRecords(const InputProfile* profile, const domain::DataQualitySpec& spec,
                  std::span<domain::PredictionRecord> records);

}  // namespace driftgate::service
