#include "db/citus.h"

#include <spdlog/spdlog.h>

#include <set>
#include <string_view>

#include "db/exec.h"

namespace driftgate::db {
namespace {

// The anchor of the co-location group: one row per model.
constexpr const char* kAnchor = "model_state";
const std::set<std::string> kLocal = {"outbox", "schema_migrations"};

constexpr const char* kHasCitus = "SELECT count(*) FROM pg_extension WHERE extname = 'citus'";
// Top-level tables of the public schema not yet known to Citus; whether the primary key starts with
// model_id.
constexpr const char* kUndistributed =
    "SELECT c.relname, coalesce((SELECT a.attname = 'model_id' FROM pg_index i JOIN pg_attribute a "
    "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = c.oid AND i.indisprimary), "
    "c.relkind = 'p' AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = "
    "'model_id')) "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
    "AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
    "AND NOT EXISTS (SELECT 1 FROM pg_dist_partition d WHERE d.logicalrelid = c.oid) ORDER BY c.relname";
// Unique, non-primary indexes of a table that do not start with model_id (name, column list).
constexpr const char* kUniqueWithoutModel =
    "SELECT ci.relname, (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord) FROM "
    "unnest(i.indkey) "
    "WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = "
    "k.attnum) "
    "FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid WHERE i.indrelid = $1::regclass "
    "AND i.indisunique AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_attribute a "
    "WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[0] AND a.attname = 'model_id')";

// Rebuilds each unique index that lacks model_id with model_id in front: ids are unique per model then
// (they are random UUIDs, and every lookup by id is scoped to its model).
void PrefixUniqueIndexes(pqxx::connection& conn, const std::string& table) {
  pqxx::work tx(conn);
  for (const auto& row : ExecText(tx, kUniqueWithoutModel, table)) {
    const std::string index = row[0].as<std::string>();
    ExecText(tx, "DROP INDEX " + tx.quote_name(index));
    ExecText(tx, "CREATE UNIQUE INDEX " + tx.quote_name(index) + " ON " + tx.quote_name(table) +
                     " (model_id, " + row[1].as<std::string>() + ")");
  }
  tx.commit();
}

void Distribute(pqxx::connection& conn, const std::string& table, bool anchor) {
  PrefixUniqueIndexes(conn, table);
  pqxx::nontransaction tx(conn);
  ExecText(tx, "SELECT create_distributed_table($1::regclass, 'model_id', colocate_with => $2)", table,
           anchor ? "default" : kAnchor);
}

}  // namespace

bool HasCitus(pqxx::transaction_base& tx) { return ExecText(tx, kHasCitus)[0][0].as<int>() > 0; }

CitusLayout DistributeOnCitus(pqxx::connection& conn) {
  CitusLayout layout;
  {
    pqxx::nontransaction tx(conn);
    layout.citus = HasCitus(tx);
  }
  if (!layout.citus) return layout;
  std::vector<std::pair<std::string, bool>> tables;
  {
    pqxx::nontransaction tx(conn);
    for (const auto& row : ExecText(tx, kUndistributed))
      tables.emplace_back(row[0].as<std::string>(), row[1].as<bool>());
  }
  // The anchor first: the others name it as their co-location group.
  for (const auto& [table, by_model] : tables) {
    if (table == kAnchor) {
      Distribute(conn, table, true);
      layout.distributed.push_back(table);
    }
  }
  for (const auto& [table, by_model] : tables) {
    if (table == kAnchor || kLocal.count(table)) continue;
    if (by_model) {
      Distribute(conn, table, false);
      layout.distributed.push_back(table);
    } else {
      pqxx::nontransaction tx(conn);
      ExecText(tx, "SELECT create_reference_table($1::regclass)", table);
      layout.reference.push_back(table);
    }
  }
  if (!layout.distributed.empty() || !layout.reference.empty()) {
    spdlog::info("citus: {} tables distributed by model_id, {} reference tables", layout.distributed.size(),
                 layout.reference.size());
  }
  return layout;
}

namespace {

// A worker's error as Citus re-raised it from a COPY: SQLSTATE XX000 (internal), the worker's message.
bool CopiedWorkerError(const pqxx::sql_error& e, std::string_view message) {
  return e.sqlstate() == "XX000" && std::string_view(e.what()).find(message) != std::string_view::npos;
}

}  // namespace

bool IsUniqueViolation(const pqxx::sql_error& e) {
  return e.sqlstate() == "23505" || CopiedWorkerError(e, "duplicate key value violates unique constraint");
}

bool IsCheckViolation(const pqxx::sql_error& e) {
  return e.sqlstate() == "23514" || CopiedWorkerError(e, "no partition of relation");
}

}  // namespace driftgate::db
