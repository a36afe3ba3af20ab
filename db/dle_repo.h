// What the regression estimate (DLE, core/dle/dle.h) reads and writes: the labelled reference with its
// features, and the fitted boosters stored with the reference (migrations/V021__dle_models.sql).
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace driftgate::db {

// A reference prediction with a value and its label's value; features as the stored JSON text.
struct LabelledRegressionRow {
  std::string features_json{};
  double prediction = 0.0;
  double label = 0.0;
};
// In record id order (the holdout split is by position: the same rows every time).
std::vector<LabelledRegressionRow> LoadLabelledRegressionReference(pqxx::transaction_base& tx,
                                                                   std::int64_t model_id);
std::int64_t CountLabelledRegressionReference(pqxx::transaction_base& tx, std::int64_t model_id);

// A stored fit without its boosters (what deciding to refit needs).
struct DleFitInfo {
  int reference_version = 0;
  std::string params{};
  std::int64_t labelled = 0;
  std::int64_t fitted_at_us = 0;
};
std::optional<DleFitInfo> LoadDleFitInfo(pqxx::transaction_base& tx, std::int64_t model_id);

struct DleFitRow {
  DleFitInfo info{};
  std::string abs_model{};
  std::string sq_model{};
  std::string encoding_json{};
};
std::optional<DleFitRow> LoadDleFit(pqxx::transaction_base& tx, std::int64_t model_id);
// Inserts or replaces the model's fit; returns its fitted_at.
std::int64_t SaveDleFit(pqxx::transaction_base& tx, std::int64_t model_id, const DleFitRow& fit);

// Deletes a deleted model's fitted DLE boosters (db/model_removal.h).
void DeleteModelDle(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db
