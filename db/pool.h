// A small PostgreSQL connection pool (libpqxx 6.4 has none). A connection is "a world of its own" used
// by one thread at a time: Acquire() lends one exclusively; the Lease gives it back. Broken connections
// are dropped and replaced on the next Acquire(), so the service resumes by itself after an outage.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/error.h"

namespace driftgate::db {

class Pool {
 public:
  struct Options {
    std::string url{};
    std::size_t size = 8;
    std::chrono::milliseconds acquire_timeout{5000};
  };

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<pqxx::connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& operator*() { return *conn_; }
    pqxx::connection* operator->() { return conn_.get(); }
    // The connection failed: do not return it to the pool.
    void Discard() { broken_ = true; }

   private:
    Pool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool broken_ = false;
  };

  explicit Pool(Options options);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A connection, opening one if the pool has room. Unavailable when the database cannot be reached or
  // every connection stays busy past acquire_timeout.
  Result<Lease> Acquire();

  std::size_t in_use() const;
  std::size_t size() const { return options_.size; }
  const std::string& url() const { return options_.url; }

  // Opens a connection configured the way driftgate expects (UTC session time zone).
  static std::unique_ptr<pqxx::connection> Connect(const std::string& url);

 private:
  void Return(std::unique_ptr<pqxx::connection> conn, bool broken);

  Options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_{};
  std::size_t open_ = 0;  // idle + lent
  std::size_t lent_ = 0;
};

// Runs `fn(tx)` in one transaction and commits. Retries serialization failures and deadlocks; maps a lost
// or unreachable database to Unavailable. `fn` returns Result<T>; an error result rolls back.
// A trivial statement: proves that the connection answers (readiness).
void Ping(pqxx::transaction_base& tx);

template <class T>
Result<T> Transact(Pool& pool, const std::function<Result<T>(pqxx::work&)>& fn);

// Implementation detail of Transact: classifies a pqxx exception.
Error ClassifyDatabaseError(const std::exception& e, bool* retryable);

template <class T>
Result<T> Transact(Pool& pool, const std::function<Result<T>(pqxx::work&)>& fn) {
  for (int attempt = 0;; ++attempt) {
    auto lease = pool.Acquire();
    if (!lease.ok()) return lease.error();
    try {
      pqxx::work tx(**lease);
      Result<T> r = fn(tx);
      if (r.ok()) tx.commit();
      return r;
    } catch (const std::exception& e) {
      bool retryable = false;
      Error err = ClassifyDatabaseError(e, &retryable);
      if (err.code == ErrorCode::kUnavailable) lease->Discard();
      if (retryable && attempt < 4) continue;
      if (err.code == ErrorCode::kInternal) throw;
      return err;
    }
  }
}

}  // namespace driftgate::db
