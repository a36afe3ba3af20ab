#include "app/backtest_cli.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/report_command.h"
#include "db/pool.h"
#include "service/reporting/backtest_service.h"

namespace driftgate::service {

int RunBacktestCommand(const std::vector<std::string>& args, const char* env_db_url, std::ostream& out,
                       std::ostream& err) {
  std::string model, config_file, db_url = env_db_url ? env_db_url : "";
  nlohmann::json body = nlohmann::json::object();
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string key = args[i], value;
    if (const auto eq = key.find('='); key.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      err << "driftgate backtest: " << key << " needs a value\n";
      return 2;
    }
    if (key == "--model") {
      model = value;
    } else if (key == "--config") {
      config_file = value;
    } else if (key == "--from") {
      body["from"] = value;
    } else if (key == "--to") {
      body["to"] = value;
    } else if (key == "--db") {
      db_url = value;
    } else if (key == "--assume-retrain-hours") {
      try {
        std::size_t used = 0;
        body["assume_retrain_hours"] = std::stod(value, &used);
        if (used != value.size()) throw std::invalid_argument(value);
      } catch (const std::exception&) {
        err << "driftgate backtest: --assume-retrain-hours must be a number\n";
        return 2;
      }
    } else {
      err << "driftgate backtest: unknown option " << key << "\n";
      return 2;
    }
  }
  if (model.empty() || config_file.empty()) {
    err << "driftgate backtest: --model and --config are required\n";
    return 2;
  }
  if (db_url.empty()) {
    err << "driftgate backtest: no database: set --db or DRIFTGATE_DB_URL\n";
    return 2;
  }
  std::ifstream in(config_file);
  if (!in) {
    err << "driftgate backtest: cannot read " << config_file << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  body["config"] = nlohmann::json::parse(text.str(), nullptr, false);
  if (body["config"].is_discarded()) {
    err << "driftgate backtest: " << config_file << " is not valid JSON\n";
    return 2;
  }
  auto request = ParseBacktestRequest(body);
  if (!request.ok()) {
    err << "driftgate backtest: " << request.error().message << "\n";
    return 2;
  }
  return PrintReport("backtest", db_url, out, err,
                     [&](db::Pool& pool) { return BacktestService(pool).Run(model, *request); });
}

}  // namespace driftgate::service
