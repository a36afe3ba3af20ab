#include "db/quality_repo.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "db/exec.h"
#include "db/sql/metrics.h"
#include "db/sql/reference_records.h"

namespace driftgate::db {

std::vector<LabelledReferenceRow> LoadLabelledReference(pqxx::transaction_base& tx, std::int64_t model_id) {
  std::vector<LabelledReferenceRow> out;
  for (const auto& r : ExecText(tx, sql::kLabelledReference, model_id)) {
    LabelledReferenceRow row{.score = r[0].is_null() ? std::nan("") : r[0].as<double>(),
                             .label_class = r[2].as<std::string>()};
    if (!r[1].is_null()) row.pred_class = r[1].as<std::string>();
    if (!r[3].is_null()) {
      // A flat class -> probability object, parsed once per reference version (the monitor caches it).
      const auto object = nlohmann::json::parse(r[3].c_str(), nullptr, false);
      if (object.is_object()) {
        for (auto it = object.begin(); it != object.end(); ++it) {
          if (it.value().is_number()) row.class_scores.emplace_back(it.key(), it.value().get<double>());
        }
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

void InsertEstimatedMetric(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                           int generation, int n, const std::string& kpis_json,
                           const std::string& per_class_json) {
  if (per_class_json.empty()) {
    ExecText(tx, sql::kInsertEstimatedMetric, model_id, at_us, generation, n, kpis_json, nullptr);
  } else {
    ExecText(tx, sql::kInsertEstimatedMetric, model_id, at_us, generation, n, kpis_json, per_class_json);
  }
}

void DeleteModelEstimatedMetrics(pqxx::transaction_base& tx, std::int64_t model_id) {
  ExecText(tx, sql::kDeleteModelEstimatedMetrics, model_id);
}

}  // namespace driftgate::db
