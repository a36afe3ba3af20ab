#include "db/migrator.h"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>
#include <set>

#include "db/citus.h"
#include "db/exec.h"

namespace driftgate::db {
namespace {
constexpr long kMigrationLockKey = 0x64726966;  // "drif"
}

Result<std::vector<int>> Migrate(const std::string& db_url) {
  std::vector<int> applied_now;
  try {
    pqxx::connection conn(db_url);
    {
      pqxx::nontransaction tx(conn);
      ExecText(tx, "SELECT pg_advisory_lock($1)", kMigrationLockKey);
      ExecText(
          tx,
          "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
          "applied_at timestamptz NOT NULL DEFAULT now())");
    }
    std::set<int> done;
    {
      pqxx::nontransaction tx(conn);
      for (const auto& row : ExecText(tx, "SELECT version FROM schema_migrations"))
        done.insert(row[0].as<int>());
    }
    for (const auto& m : EmbeddedMigrations()) {
      if (done.count(m.version)) continue;
      pqxx::work tx(conn);
      ExecText(tx, m.sql);
      ExecText(tx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name);
      tx.commit();
      spdlog::info("applied migration V{:03d} {}", m.version, m.name);
      applied_now.push_back(m.version);
    }
    DistributeOnCitus(conn);  // a no-op without the citus extension
    pqxx::nontransaction tx(conn);
    ExecText(tx, "SELECT pg_advisory_unlock($1)", kMigrationLockKey);
  } catch (const pqxx::broken_connection& e) {
    return Error{ErrorCode::kUnavailable, std::string("cannot reach the database: ") + e.what(), {}};
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternal, std::string("migration failed: ") + e.what(), {}};
  }
  return applied_now;
}

}  // namespace driftgate::db
