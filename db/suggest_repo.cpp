#include "db/suggest_repo.h"

#include <string>

#include "db/exec.h"
#include "db/sql/reference_records.h"

namespace driftgate::db {

std::vector<evaluate::LabeledEvent> LoadReferencePairs(pqxx::transaction_base& tx, std::int64_t model_id) {
  std::vector<evaluate::LabeledEvent> out;
  for (const auto& r : ExecText(tx, sql::kReferencePairs, model_id)) {
    // Columns: pred_class, pred_value, score, label_class, label_value, ts_us
    evaluate::LabeledEvent ev;
    if (!r[0].is_null()) ev.pair.predicted = r[0].as<std::string>();
    if (!r[1].is_null()) ev.pair.predicted_value = r[1].as<double>();
    if (!r[2].is_null()) ev.pair.score = r[2].as<double>();
    if (!r[3].is_null()) ev.pair.actual = r[3].as<std::string>();
    if (!r[4].is_null()) ev.pair.actual_value = r[4].as<double>();
    ev.ts_us = r[5].as<std::int64_t>();
    out.push_back(std::move(ev));
  }
  return out;
}

}  // namespace driftgate::db
