#pragma once

// The database handles named without libpqxx, for headers above db/ that only pass them through: the
// connection pool, and an open transaction as libpqxx's common base class (pqxx::work and
// pqxx::read_transaction both derive from it). Source files that run SQL include db/pool.h and
// <pqxx/pqxx> themselves; headers include this one, so that api/ never compiles libpqxx
// (tools/lint/layers.py checks it in `make test`).

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace driftgate::db {
class Pool;
}  // namespace driftgate::db
