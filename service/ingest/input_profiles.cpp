#include "service/ingest/input_profiles.h"

#include <pqxx/pqxx>
#include <vector>

#include "core/evaluate/input_quality.h"
#include "db/drift_repo.h"
#include "db/input_quality_repo.h"
#include "db/pool.h"
#include "service/drift/drift_window.h"

namespace driftgate::service {

std::shared_ptr<const InputProfile> InputProfiles::Find(std::int64_t model_id, int reference_version) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model_id);
  if (it == entries_.end() || it->second.profile->reference_version != reference_version) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.profile;
}

void InputProfiles::Keep(std::int64_t model_id, std::shared_ptr<const InputProfile> profile) {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(model_id); it != entries_.end()) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
  }
  lru_.push_front(model_id);
  entries_.emplace(model_id, Entry{.profile = std::move(profile), .lru = lru_.begin()});
  while (entries_.size() > capacity_) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
}

std::shared_ptr<const InputProfile> BuildInputProfile(pqxx::transaction_base& tx, std::int64_t model_id,
                                                      int reference_version) {
  auto profile = std::make_shared<InputProfile>();
  profile->reference_version = reference_version;
  std::vector<WindowRow> rows;
  for (const auto& row : db::LoadReferenceRows(tx, model_id)) rows.push_back(ParseWindowRow(row));
  std::vector<const evaluate::FeatureRow*> features;
  features.reserve(rows.size());
  for (const auto& r : rows) features.push_back(&r.features);
  profile->reference = evaluate::Profile(features);
  profile->positions = db::SyncFeatureDictionary(tx, model_id, profile->reference);
  return profile;
}

void JudgeRecords(const InputProfile* profile, const domain::DataQualitySpec& spec,
                  std::span<domain::PredictionRecord> records) {
  if (profile == nullptr || !spec.enabled) {
    for (auto& r : records) r.input_faults.reset();
    return;
  }
  const evaluate::RecordJudge judge(profile->reference, profile->positions, spec);
  for (auto& r : records) r.input_faults = judge.Judge(r.features);
}

}  // namespace driftgate::service
