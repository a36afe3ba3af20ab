// Alerts (migrations/V018__alerts.sql): one open row per (model, segment, condition). The outbox rows that
// carry each state change of an alert to one notify target are db/outbox_repo.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace driftgate::db {

struct AlertRow {
  std::string id{};
  std::string condition{};
  std::string action{};
  std::string reason{};
  std::string reason_code{};
  std::int64_t opened_at_us = 0;  // wall time
  std::int64_t data_at_us = 0;
  std::int64_t resolved_at_us = 0;  // 0 while open
  int updates = 0;
};

struct AlertContent {
  std::string action{};
  std::string reason{};
  std::string reason_code{};
  std::int64_t data_at_us = 0;
};

// The model's open alerts (whole-model segment), oldest first.
std::vector<AlertRow> LoadOpenAlerts(pqxx::transaction_base& tx, std::int64_t model_id);
// Opens an alert; nullopt when one for (model, condition) is open already (the unique index decides, so
// callers that do not hold the model's lock cannot open a second one).
std::optional<AlertRow> OpenAlert(pqxx::transaction_base& tx, std::int64_t model_id,
                                  const std::string& condition, const AlertContent& content);
// Records a changed state of an open alert; returns the row as updated.
AlertRow UpdateAlert(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& id,
                     const AlertContent& content);
// Resolves an open alert; nullopt when it is not open (any more).
std::optional<AlertRow> ResolveAlert(pqxx::transaction_base& tx, std::int64_t model_id,
                                     const std::string& id);
// The open alert of (model, condition), if any.
std::optional<AlertRow> FindOpenAlert(pqxx::transaction_base& tx, std::int64_t model_id,
                                      const std::string& condition);

// Deletes a deleted model's alerts, open or resolved (db/model_removal.h). Notifications already queued
// in the outbox stay and are still delivered.
void DeleteModelAlerts(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db
