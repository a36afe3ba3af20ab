#include "app/suggest_cli.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "api/dto/suggest.h"
#include "app/report_command.h"
#include "db/pool.h"
#include "service/reporting/suggest_service.h"

namespace driftgate::service {
namespace {

// Adds what `--key value` stands for to the request body; a usage problem otherwise.
std::optional<std::string> AddOption(const std::string& key, const std::string& value, nlohmann::json& body) {
  if (key == "--from" || key == "--to") {
    body[key.substr(2)] = value;
  } else if (key == "--kpis") {
    body["kpis"] = nlohmann::json::array();
    std::stringstream names(value);
    for (std::string name; std::getline(names, name, ',');) body["kpis"].push_back(name);
  } else if (key == "--tolerance" || key == "--relative-tolerance" || key == "--assume-retrain-hours") {
    const auto v = ParseNumber(value);
    if (!v) return key + " must be a number";
    if (key == "--assume-retrain-hours") {
      body["assume_retrain_hours"] = *v;
    } else {
      body["tolerance"][key == "--tolerance" ? "absolute" : "relative"] = *v;
    }
  } else {
    return "unknown option " + key;
  }
  return std::nullopt;
}

}  // namespace

int RunSuggestCommand(const std::vector<std::string>& args, const char* env_db_url, std::ostream& out,
                      std::ostream& err) {
  constexpr const char* kCommand = "suggest";
  ReportTarget target{.db_url = env_db_url ? env_db_url : ""};
  nlohmann::json body = nlohmann::json::object();
  auto problem = ReadOptions(args, target, [&](const std::string& key, const std::string& value) {
    return AddOption(key, value, body);
  });
  if (!problem && target.model.empty()) problem = "--model is required";
  if (!problem && target.db_url.empty()) problem = "no database: set --db or DRIFTGATE_DB_URL";
  if (problem) return UsageError(kCommand, err, *problem);
  auto request = api::dto::ParseSuggestRequest(body);
  if (!request.ok()) return UsageError(kCommand, err, request.error().message);
  return PrintReport(
      kCommand, target.db_url, out, err,
      [&](db::Pool& pool) { return SuggestService(pool).Run(target.model, *request); },
      api::dto::SuggestReportJson);
}

}  // namespace driftgate::service
