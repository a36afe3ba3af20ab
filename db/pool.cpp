#include "db/pool.h"

#include <spdlog/spdlog.h>

#include "db/exec.h"

namespace driftgate::db {

Pool::Lease::~Lease() {
  if (pool_ && conn_) pool_->Return(std::move(conn_), broken_ || !conn_->is_open());
}

Pool::Pool(Options options) : options_(std::move(options)) {}

std::unique_ptr<pqxx::connection> Pool::Connect(const std::string& url) {
  auto conn = std::make_unique<pqxx::connection>(url);
  pqxx::nontransaction tx(*conn);
  ExecText(tx, "SET TIME ZONE 'UTC'");
  return conn;
}

Result<Pool::Lease> Pool::Acquire() {
  std::unique_lock lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  while (idle_.empty() && open_ >= options_.size) {
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.size) {
      return Error{ErrorCode::kUnavailable, "all database connections are busy", {}};
    }
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    ++lent_;
    return Lease(this, std::move(conn));
  }
  ++open_;
  ++lent_;
  lock.unlock();
  try {
    return Lease(this, Connect(options_.url));
  } catch (const std::exception& e) {
    lock.lock();
    --open_;
    --lent_;
    cv_.notify_one();
    spdlog::warn("database connection failed: {}", e.what());
    return Error{ErrorCode::kUnavailable, "the database is unavailable", {}};
  }
}

void Pool::Return(std::unique_ptr<pqxx::connection> conn, bool broken) {
  std::lock_guard lock(mu_);
  --lent_;
  if (broken) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

std::size_t Pool::in_use() const {
  std::lock_guard lock(mu_);
  return lent_;
}

Error ClassifyDatabaseError(const std::exception& e, bool* retryable) {
  *retryable = false;
  if (dynamic_cast<const pqxx::broken_connection*>(&e) || dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
    return Error{ErrorCode::kUnavailable, "the database is unavailable", {}};
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = sql->sqlstate();
    if (state == "40001" || state == "40P01") {
      *retryable = true;
      return Error{ErrorCode::kUnavailable, "transaction conflict, retry", {}};
    }
    // Class 08 (connection exception), 57P01..57P03 (admin shutdown, crash shutdown, cannot connect now).
    if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03") {
      return Error{ErrorCode::kUnavailable, "the database is unavailable", {}};
    }
  }
  return Error{ErrorCode::kInternal, e.what(), {}};
}

void Ping(pqxx::transaction_base& tx) { ExecText(tx, "SELECT 1"); }

}  // namespace driftgate::db
