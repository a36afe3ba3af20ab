#include "tests/support/test_db.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <pqxx/binarystring>
#include <pqxx/pqxx>
#include <random>
#include <stdexcept>
#include <thread>

#include "db/copy_text.h"
#include "db/feature_block.h"

namespace driftgate::test_support {
namespace {

std::string RequireEnv(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) {
    throw std::runtime_error(std::string(name) + " is not set: run the suite through `make test`");
  }
  return v;
}

std::string Base(const std::string& url) { return url.substr(0, url.rfind('/')); }
std::string DbName(const std::string& url) { return url.substr(url.rfind('/') + 1); }

}  // namespace

TestDatabase::TestDatabase() {
  const std::string template_url = RequireEnv("DRIFTGATE_TEST_DB_URL");
  admin_url_ = RequireEnv("DRIFTGATE_TEST_DB_ADMIN_URL");
  static std::atomic<int> counter{0};
  std::random_device rd;
  name_ = "dgt_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
          std::to_string(rd() % 100000);
  url_ = Base(template_url) + "/" + name_;
  // CREATE DATABASE ... TEMPLATE fails while another session is cloning the same template: retry briefly.
  for (int attempt = 0;; ++attempt) {
    try {
      pqxx::connection conn(admin_url_);
      pqxx::nontransaction tx(conn);
      tx.exec("CREATE DATABASE " + tx.quote_name(name_) + " TEMPLATE " + tx.quote_name(DbName(template_url)));
      break;
    } catch (const pqxx::sql_error& e) {
      if (attempt >= 50) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100 + attempt * 20));  // lock contention backoff
    }
  }
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection conn(admin_url_);
    pqxx::nontransaction tx(conn);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "could not drop test database " << name_ << ": " << e.what();
  }
}

std::string TestDatabase::Scalar(const std::string& sql) const {
  pqxx::connection conn(url_);
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec(sql);
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].as<std::string>();
}

}  // namespace driftgate::test_support

namespace driftgate::test_support {

std::string TestDatabase::StoredFeatures(const std::string& record_id) const {
  pqxx::connection conn(url_);
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_params(
      "SELECT body, array_position(ids, $1::text COLLATE \"C\") FROM prediction_blocks WHERE ids @> "
      "ARRAY[$1::text COLLATE \"C\"]",
      record_id);
  if (r.empty()) return "";
  const db::FeatureBlock block = db::DecodeBlock(pqxx::binarystring(r[0][0]).str());
  std::string out;
  db::copy::AppendFeaturesJson(out, block.Features(r[0][1].as<std::size_t>() - 1));
  return out;
}

}  // namespace driftgate::test_support
