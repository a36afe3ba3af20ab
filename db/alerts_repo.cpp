#include "db/alerts_repo.h"

#include "db/exec.h"
#include "db/sql/alerts.h"

namespace driftgate::db {
namespace {

AlertRow FromRow(const pqxx::row& r) {
  return AlertRow{.id = r[0].as<std::string>(),
                  .condition = r[1].as<std::string>(),
                  .action = r[2].as<std::string>(),
                  .reason = r[3].as<std::string>(),
                  .reason_code = r[4].as<std::string>(),
                  .opened_at_us = r[5].as<std::int64_t>(),
                  .data_at_us = r[6].as<std::int64_t>(),
                  .resolved_at_us = r[7].as<std::int64_t>(),
                  .updates = r[8].as<int>()};
}

std::optional<AlertRow> First(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  return FromRow(r[0]);
}

}  // namespace

std::vector<AlertRow> LoadOpenAlerts(pqxx::transaction_base& tx, std::int64_t model_id) {
  std::vector<AlertRow> out;
  for (const auto& r : ExecText(tx, sql::kLoadOpenAlerts, model_id)) out.push_back(FromRow(r));
  return out;
}

std::optional<AlertRow> OpenAlert(pqxx::transaction_base& tx, std::int64_t model_id,
                                  const std::string& condition, const AlertContent& c) {
  return First(
      ExecText(tx, sql::kOpenAlert, model_id, condition, c.action, c.reason, c.reason_code, c.data_at_us));
}

AlertRow UpdateAlert(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& id,
                     const AlertContent& c) {
  return FromRow(
      ExecText1(tx, sql::kUpdateAlert, model_id, id, c.action, c.reason, c.reason_code, c.data_at_us));
}

std::optional<AlertRow> ResolveAlert(pqxx::transaction_base& tx, std::int64_t model_id,
                                     const std::string& id) {
  return First(ExecText(tx, sql::kResolveAlert, model_id, id));
}

std::optional<AlertRow> FindOpenAlert(pqxx::transaction_base& tx, std::int64_t model_id,
                                      const std::string& condition) {
  return First(ExecText(tx, sql::kFindOpenAlert, model_id, condition));
}

void DeleteModelAlerts(pqxx::transaction_base& tx, std::int64_t model_id) {
  ExecText(tx, sql::kDeleteModelAlerts, model_id);
}

}  // namespace driftgate::db
