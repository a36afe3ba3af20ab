// What the label-free estimate (CBPE) and the data-quality veto read and write (migrations/V006).
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

namespace driftgate::db {

// A reference prediction with a score and its label's class.
struct LabelledReferenceRow {
  double score = 0.0;                                          // binary; NaN for a multiclass row
  std::vector<std::pair<std::string, double>> class_scores{};  // multiclass: class -> probability
  std::optional<std::string> pred_class{};
  std::string label_class{};
};
std::vector<LabelledReferenceRow> LoadLabelledReference(pqxx::transaction_base& tx, std::int64_t model_id);

// `per_class_json`: a multiclass estimate's per-class precision/recall object; empty for none (NULL).
void InsertEstimatedMetric(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                           int generation, int n, const std::string& kpis_json,
                           const std::string& per_class_json = "");

// Deletes a deleted model's label-free KPI estimates (db/model_removal.h).
void DeleteModelEstimatedMetrics(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db
