// On a Citus coordinator (the `citus` extension is installed in the database), `driftgate migrate` ends by
// distributing the schema; on plain PostgreSQL it does nothing. Idempotent: a table already in Citus's
// metadata is left as it is, so it runs after every migration and picks up tables that new migrations add.
//
// The rule (deploy/README.md "Citus"):
//   * a table with a `model_id` column whose primary key starts with it is distributed by `model_id`,
//     co-located with `model_state`: every statement of the request path filters on one model, so it is
//     routed to one shard group (ingest, the evaluation under the model lock, history, retrains);
//     its other unique indexes get `model_id` in front (Citus enforces uniqueness per shard only);
//   * `outbox` and `schema_migrations` stay plain tables on the coordinator: the outbox claim
//     (`FOR UPDATE SKIP LOCKED`) spans models and needs one node's row locks, and it holds one row per
//     retrain;
//   * every other table (models, tokens, audit_log, grid_forecast: small, read everywhere) becomes a
//     reference table, replicated to every node.
// Partitioned tables are distributed with their partitions; partitions created later (retention's
// driftgate_ensure_partitions on the coordinator) are distributed by Citus as they are created.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace driftgate::db {

// What DistributeOnCitus did: the tables it distributed or made reference tables now.
struct CitusLayout {
  bool citus = false;  // the extension is installed
  std::vector<std::string> distributed{};
  std::vector<std::string> reference{};
};

CitusLayout DistributeOnCitus(pqxx::connection& conn);

// Whether the database is a Citus coordinator's (the extension is installed).
bool HasCitus(pqxx::transaction_base& tx);

// Whether a statement failed on a unique index (SQLSTATE 23505), or on a check — which includes a row
// that no partition takes (23514). Citus re-raises a worker's COPY error with the worker's message but
// without its SQLSTATE (XX000; src/backend/distributed/commands/multi_copy.c, ReportCopyError), so on a
// coordinator the message is the only sign of these two; PostgreSQL's own codes are used wherever present.
bool IsUniqueViolation(const pqxx::sql_error& e);
bool IsCheckViolation(const pqxx::sql_error& e);

}  // namespace driftgate::db
