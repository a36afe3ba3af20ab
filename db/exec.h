// Hot statements as named prepared statements: parsed and planned once per connection instead of on every
// call (planning kInsertPredictionsWithReference took 0.57 ms of its 1.9 ms for a 100-record batch).
// libpqxx 6.4 registers a definition with the server on first use per connection and re-registers after
// a reconnect; defining the same name with the same text again is a no-op.
// Every statement of driftgate runs through this header (tools/lint/tables.py checks it in `make test`).
//
// Named statements are session state: PgBouncer in transaction mode before 1.21 (or without
// max_prepared_statements) cannot carry them — turn them off there (DRIFTGATE_DB_PREPARED=off,
// deploy/README.md); every statement then runs through the unnamed statement as exec_params does.
#pragma once

#include <atomic>
#include <cstdint>
#include <pqxx/pqxx>
#include <string>
#include <utility>

namespace driftgate::db {

// Process-wide; on by default. Set once at start-up (app/main.cpp), before any transaction.
void UsePreparedStatements(bool on);
bool PreparedStatementsEnabled();

// Runs `sql`, one of db/sql/'s constants (its address names the statement), with `args`.
template <class... Args>
pqxx::result Exec(pqxx::transaction_base& tx, const char* sql, Args&&... args) {
  if (!PreparedStatementsEnabled()) return tx.exec_params(sql, std::forward<Args>(args)...);
  const std::string name = "dg" + std::to_string(reinterpret_cast<std::uintptr_t>(sql));
  tx.conn().prepare(name, sql);
  return tx.exec_prepared(name, std::forward<Args>(args)...);
}

template <class... Args>
pqxx::row Exec1(pqxx::transaction_base& tx, const char* sql, Args&&... args) {
  pqxx::result r = Exec(tx, sql, std::forward<Args>(args)...);
  if (r.size() != 1)
    throw pqxx::unexpected_rows("expected 1 row from a prepared statement, got " + std::to_string(r.size()));
  return r[0];
}

// Text built at run time (a table name, a chosen ORDER BY) or a statement that is never hot: always the
// unnamed statement. Without arguments it is sent as a simple query, which may hold several statements
// (a migration file) and utility commands (SAVEPOINT, SET LOCAL, DECLARE); with arguments, as exec_params.
template <class... Args>
pqxx::result ExecText(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
  if constexpr (sizeof...(Args) == 0) {
    return tx.exec(sql);
  } else {
    return tx.exec_params(sql, std::forward<Args>(args)...);
  }
}

template <class... Args>
pqxx::row ExecText1(pqxx::transaction_base& tx, const std::string& sql, Args&&... args) {
  pqxx::result r = ExecText(tx, sql, std::forward<Args>(args)...);
  if (r.size() != 1) throw pqxx::unexpected_rows("expected 1 row, got " + std::to_string(r.size()));
  return r[0];
}

}  // namespace driftgate::db
