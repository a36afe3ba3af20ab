// The last step of the read-only report commands (`driftgate backtest`, `driftgate suggest`): run the
// report on a one-connection pool and print its JSON. Exit status: 0 printed, 2 the request was refused
// (an invalid argument), 1 anything else (database unreachable, an error inside).
#pragma once

#include <exception>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "core/error.h"
#include "db/pool.h"

namespace driftgate::service {

// `run(pool)` returns the report; `command` names the subcommand in error messages.
template <class Run>
int PrintReport(const char* command, const std::string& db_url, std::ostream& out, std::ostream& err,
                Run run) {
  db::Pool pool({.url = db_url, .size = 1});
  Result<nlohmann::json> report = Error{};
  try {
    report = run(pool);
  } catch (const std::exception& e) {
    err << "driftgate " << command << ": " << e.what() << "\n";
    return 1;
  }
  if (!report.ok()) {
    err << "driftgate " << command << ": " << report.error().message << "\n";
    return report.error().code == ErrorCode::kInvalidArgument ? 2 : 1;
  }
  out << report->dump(2) << "\n";
  return 0;
}

}  // namespace driftgate::service
