#include "db/dle_repo.h"

#include <pqxx/binarystring>

#include "db/exec.h"
#include "db/sql/dle_models.h"

namespace driftgate::db {
namespace {

DleFitInfo InfoFrom(const pqxx::row& r) {
  return DleFitInfo{.reference_version = r[0].as<int>(),
                    .params = r[1].as<std::string>(),
                    .labelled = r[2].as<std::int64_t>(),
                    .fitted_at_us = r[3].as<std::int64_t>()};
}

}  // namespace

std::vector<LabelledRegressionRow> LoadLabelledRegressionReference(pqxx::transaction_base& tx,
                                                                   std::int64_t model_id) {
  std::vector<LabelledRegressionRow> out;
  const pqxx::result rows = ExecText(tx, sql::kLabelledRegressionReference, model_id);
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back({.features_json = r[0].as<std::string>(),
                   .prediction = r[1].as<double>(),
                   .label = r[2].as<double>()});
  }
  return out;
}

std::int64_t CountLabelledRegressionReference(pqxx::transaction_base& tx, std::int64_t model_id) {
  return ExecText1(tx, sql::kCountLabelledRegressionReference, model_id)[0].as<std::int64_t>();
}

std::optional<DleFitInfo> LoadDleFitInfo(pqxx::transaction_base& tx, std::int64_t model_id) {
  const pqxx::result r = ExecText(tx, sql::kDleFitInfo, model_id);
  if (r.empty()) return std::nullopt;
  return InfoFrom(r[0]);
}

std::optional<DleFitRow> LoadDleFit(pqxx::transaction_base& tx, std::int64_t model_id) {
  const pqxx::result r = ExecText(tx, sql::kDleFit, model_id);
  if (r.empty()) return std::nullopt;
  return DleFitRow{.info = InfoFrom(r[0]),
                   .abs_model = pqxx::binarystring(r[0][4]).str(),
                   .sq_model = pqxx::binarystring(r[0][5]).str(),
                   .encoding_json = r[0][6].as<std::string>()};
}

std::int64_t SaveDleFit(pqxx::transaction_base& tx, std::int64_t model_id, const DleFitRow& fit) {
  return ExecText1(tx, sql::kSaveDleFit, model_id, fit.info.reference_version, fit.info.params,
                   fit.info.labelled, pqxx::binarystring(fit.abs_model), pqxx::binarystring(fit.sq_model),
                   fit.encoding_json)[0]
      .as<std::int64_t>();
}

void DeleteModelDle(pqxx::transaction_base& tx, std::int64_t model_id) {
  ExecText(tx, sql::kDeleteModelDle, model_id);
}

}  // namespace driftgate::db
