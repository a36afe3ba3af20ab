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

}  // namespace driftgate::db
