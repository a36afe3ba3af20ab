#include "app/backtest_cli.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/dto/backtest.h"
#include "app/report_command.h"
#include "db/pool.h"
#include "service/reporting/backtest_service.h"

namespace driftgate::service {

int RunBacktestCommand(const std::vector<std::string>& args, const char* env_db_url, std::ostream& out,
                       std::ostream& err) {
  constexpr const char* kCommand = "backtest";
  ReportTarget target{.db_url = env_db_url ? env_db_url : ""};
  std::string config_file;
  nlohmann::json body = nlohmann::json::object();
  auto problem = ReadOptions(
      args, target, [&](const std::string& key, const std::string& value) -> std::optional<std::string> {
        if (key == "--config") {
          config_file = value;
        } else if (key == "--from" || key == "--to") {
          body[key.substr(2)] = value;
        } else if (key == "--assume-retrain-hours") {
          const auto hours = ParseNumber(value);
          if (!hours) return "--assume-retrain-hours must be a number";
          body["assume_retrain_hours"] = *hours;
        } else {
          return "unknown option " + key;
        }
        return std::nullopt;
      });
  if (!problem && (target.model.empty() || config_file.empty()))
    problem = "--model and --config are required";
  if (!problem && target.db_url.empty()) problem = "no database: set --db or DRIFTGATE_DB_URL";
  if (problem) return UsageError(kCommand, err, *problem);
  std::ifstream in(config_file);
  if (!in) return UsageError(kCommand, err, "cannot read " + config_file);
  std::stringstream text;
  text << in.rdbuf();
  body["config"] = nlohmann::json::parse(text.str(), nullptr, false);
  if (body["config"].is_discarded()) return UsageError(kCommand, err, config_file + " is not valid JSON");
  auto request = api::dto::ParseBacktestRequest(body, target.model);
  if (!request.ok()) return UsageError(kCommand, err, request.error().message);
  return PrintReport(
      kCommand, target.db_url, out, err,
      [&](db::Pool& pool) { return BacktestService(pool).Run(target.model, *request); },
      api::dto::BacktestReportJson);
}

}  // namespace driftgate::service
