// Applies the forward-only migrations (migrations/V###__name.sql, embedded into the binary at build
// time) that the database has not seen, each in its own transaction, under an advisory lock so that
// concurrent `driftgate migrate` runs are safe.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace driftgate::db {

struct Migration {
  int version;
  std::string name{};
  std::string sql{};
};

// The migrations compiled into this binary, in version order.
const std::vector<Migration>& EmbeddedMigrations();

// Applies what is missing; returns the versions applied now.
Result<std::vector<int>> Migrate(const std::string& db_url);

}  // namespace driftgate::db
