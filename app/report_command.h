// The skeleton of the read-only report commands (`driftgate backtest`, `driftgate suggest`): options as
// `--key value` or `--key=value`, then the report run on a one-connection pool and printed as the HTTP
// answer's JSON (api/dto/). Exit status: 0 printed, 2 bad usage or a refused request (an invalid
// argument), 1 anything else (database unreachable, an error inside).
#pragma once

#include <exception>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/pool.h"

namespace driftgate::service {

// What every report command names: the model (--model) and the database (--db, else DRIFTGATE_DB_URL).
struct ReportTarget {
  std::string model{};
  std::string db_url{};
};

// Reads --model and --db into `target` and calls `on_option(key, value)` for each other option, in order;
// returns the first usage problem (a key without its value, or what `on_option` returns), or nullopt.
using OptionHandler =
    std::function<std::optional<std::string>(const std::string& key, const std::string& value)>;
std::optional<std::string> ReadOptions(const std::vector<std::string>& args, ReportTarget& target,
                                       const OptionHandler& on_option);

// `text` as a number when all of it is one.
std::optional<double> ParseNumber(const std::string& text);

// Prints "driftgate <command>: <message>"; returns exit status 2.
int UsageError(const char* command, std::ostream& err, const std::string& message);

// `run(pool)` returns the report and `render(report)` its JSON; `command` names the subcommand in errors.
template <class Run, class Render>
int PrintReport(const char* command, const std::string& db_url, std::ostream& out, std::ostream& err, Run run,
                Render render) {
  db::Pool pool({.url = db_url, .size = 1});
  std::optional<decltype(run(pool))> report;
  try {
    report.emplace(run(pool));
  } catch (const std::exception& e) {
    err << "driftgate " << command << ": " << e.what() << "\n";
    return 1;
  }
  if (!report->ok()) {
    err << "driftgate " << command << ": " << report->error().message << "\n";
    return report->error().code == ErrorCode::kInvalidArgument ? 2 : 1;
  }
  const nlohmann::json doc = render(report->value());
  out << doc.dump(2) << "\n";
  return 0;
}

}  // namespace driftgate::service
