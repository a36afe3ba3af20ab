// `driftgate backtest --model M --config FILE [--from T] [--to T] [--assume-retrain-hours H] [--db URL]`:
// the policy backtest of POST /v1/models/{model}/backtest from the command line. FILE holds the candidate
// model document; the JSON printed is the HTTP answer's body. Exit 0 on success, 1 when the backtest
// fails (unknown model, database), 2 on bad usage or input.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace driftgate::service {

// `env_db_url`: DRIFTGATE_DB_URL (nullptr when unset); --db wins.
int RunBacktestCommand(const std::vector<std::string>& args, const char* env_db_url, std::ostream& out,
                       std::ostream& err);

}  // namespace driftgate::service
