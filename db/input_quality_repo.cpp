#include "db/input_quality_repo.h"

#include <charconv>
#include <vector>

#include "db/copy_text.h"
#include "db/exec.h"
#include "db/sql/locks.h"
#include "db/sql/model_features.h"

namespace driftgate::db {
namespace {

void AppendRate(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// name → position of `dictionary`, and whether `reference` needs a write: a new name or a changed rate.
bool NeedsWrite(const evaluate::FeatureDictionary& dictionary, const evaluate::ReferenceProfile& reference,
                std::map<std::string, std::uint16_t>& positions) {
  positions.clear();
  for (const auto& [position, entry] : dictionary) positions[entry.name] = position;
  for (const auto& [name, profile] : reference.features) {
    auto at = positions.find(name);
    if (at == positions.end()) return true;
    const auto& entry = dictionary.at(at->second);
    if (entry.missing_rate != profile.missing_rate || entry.type_error_rate != profile.type_error_rate)
      return true;
  }
  return false;
}

}  // namespace

evaluate::FeatureDictionary LoadFeatureDictionary(pqxx::transaction_base& tx, std::int64_t model_id) {
  evaluate::FeatureDictionary out;
  for (const auto& r : Exec(tx, sql::kFeatureDictionary, model_id)) {
    out[r[0].as<std::uint16_t>()] = evaluate::FeatureEntry{.name = r[1].as<std::string>(),
                                                           .missing_rate = r[2].as<double>(),
                                                           .type_error_rate = r[3].as<double>()};
  }
  return out;
}

std::map<std::string, std::uint16_t> SyncFeatureDictionary(pqxx::transaction_base& tx, std::int64_t model_id,
                                                           const evaluate::ReferenceProfile& reference) {
  std::map<std::string, std::uint16_t> positions;
  auto dictionary = LoadFeatureDictionary(tx, model_id);
  if (NeedsWrite(dictionary, reference, positions)) {
    Exec(tx, sql::kLockFeatureDictionary, model_id);
    dictionary = LoadFeatureDictionary(tx, model_id);  // as the previous holder of the lock left it
    NeedsWrite(dictionary, reference, positions);
    std::size_t next = dictionary.empty() ? 0 : static_cast<std::size_t>(dictionary.rbegin()->first) + 1;
    std::string pos = "{", names = "{", missing = "{", type_errors = "{";
    for (const auto& [name, profile] : reference.features) {
      auto at = positions.find(name);
      if (at == positions.end()) {
        if (next >= evaluate::kMaxFeaturePositions) continue;
        at = positions.emplace(name, static_cast<std::uint16_t>(next++)).first;
      }
      if (pos.size() > 1) {
        pos += ',';
        names += ',';
        missing += ',';
        type_errors += ',';
      }
      pos += std::to_string(at->second);
      copy::AppendArrayElement(names, name);
      AppendRate(missing, profile.missing_rate);
      AppendRate(type_errors, profile.type_error_rate);
    }
    pos += '}';
    names += '}';
    missing += '}';
    type_errors += '}';
    ExecText(tx, sql::kUpsertFeatures, model_id, pos, names, missing, type_errors);
  }
  std::map<std::string, std::uint16_t> out;
  for (const auto& [name, profile] : reference.features) {
    if (auto at = positions.find(name); at != positions.end()) out.emplace(name, at->second);
  }
  return out;
}

void DeleteModelFeatures(pqxx::transaction_base& tx, std::int64_t model_id) {
  ExecText(tx, sql::kDeleteModelFeatures, model_id);
}

}  // namespace driftgate::db
