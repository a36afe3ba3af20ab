// `driftgate suggest --model M [--from T] [--to T] [--tolerance X] [--relative-tolerance X] [--kpis a,b]
// [--assume-retrain-hours H] [--db URL]`: the threshold suggestion of POST /v1/models/{model}/suggest from
// the command line; the JSON printed is the HTTP answer's body. Exit 0 on success, 1 when it fails (unknown
// model, database), 2 on bad usage or input.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace driftgate::service {

// `env_db_url`: DRIFTGATE_DB_URL (nullptr when unset); --db wins.
int RunSuggestCommand(const std::vector<std::string>& args, const char* env_db_url, std::ostream& out,
                      std::ostream& err);

}  // namespace driftgate::service
