#include "app/suggest_cli.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "app/report_command.h"
#include "db/pool.h"
#include "service/reporting/suggest_service.h"

namespace driftgate::service {
namespace {

std::optional<double> Number(const std::string& text) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// The request body the options stand for; an error message (exit 2) otherwise.
std::optional<std::string> ReadOptions(const std::vector<std::string>& args, std::string& model,
                                       std::string& db_url, nlohmann::json& body) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string key = args[i], value;
    if (const auto eq = key.find('='); key.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return key + " needs a value";
    }
    if (key == "--model") {
      model = value;
    } else if (key == "--db") {
      db_url = value;
    } else if (key == "--from" || key == "--to") {
      body[key.substr(2)] = value;
    } else if (key == "--kpis") {
      body["kpis"] = nlohmann::json::array();
      std::stringstream names(value);
      for (std::string name; std::getline(names, name, ',');) body["kpis"].push_back(name);
    } else if (key == "--tolerance" || key == "--relative-tolerance" || key == "--assume-retrain-hours") {
      const auto v = Number(value);
      if (!v) return key + " must be a number";
      if (key == "--assume-retrain-hours") {
        body["assume_retrain_hours"] = *v;
      } else {
        body["tolerance"][key == "--tolerance" ? "absolute" : "relative"] = *v;
      }
    } else {
      return "unknown option " + key;
    }
  }
  if (model.empty()) return "--model is required";
  if (db_url.empty()) return "no database: set --db or DRIFTGATE_DB_URL";
  return std::nullopt;
}

}  // namespace

int RunSuggestCommand(const std::vector<std::string>& args, const char* env_db_url, std::ostream& out,
                      std::ostream& err) {
  std::string model, db_url = env_db_url ? env_db_url : "";
  nlohmann::json body = nlohmann::json::object();
  if (auto problem = ReadOptions(args, model, db_url, body)) {
    err << "driftgate suggest: " << *problem << "\n";
    return 2;
  }
  auto request = ParseSuggestRequest(body);
  if (!request.ok()) {
    err << "driftgate suggest: " << request.error().message << "\n";
    return 2;
  }
  return PrintReport("suggest", db_url, out, err,
                     [&](db::Pool& pool) { return SuggestService(pool).Run(model, *request); });
}

}  // namespace driftgate::service
