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
#include <vector>

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

// Maintenance URLs of further servers that hold the template under the same name (space- or
// comma-separated): a Citus cluster's workers. A Citus coordinator reaches a worker's shards in the
// database of its own name, so a clone made on every node (workers first) is a complete cluster; cloning on
// the coordinator alone would leave its shard metadata pointing at databases that do not exist.
std::vector<std::string> MoreNodes() {
  std::vector<std::string> urls;
  const char* v = std::getenv("DRIFTGATE_TEST_DB_NODES");
  std::string item;
  for (const char* c = v ? v : "";; ++c) {
    if (*c == ' ' || *c == ',' || *c == '\0') {
      if (!item.empty()) urls.push_back(item);
      item.clear();
      if (!*c) break;
    } else {
      item += *c;
    }
  }
  return urls;
}

void Clone(const std::string& admin_url, const std::string& name, const std::string& from) {
  // CREATE DATABASE ... TEMPLATE fails while another session is cloning the same template: retry briefly.
  for (int attempt = 0;; ++attempt) {
    try {
      pqxx::connection conn(admin_url);
      pqxx::nontransaction tx(conn);
      tx.exec("CREATE DATABASE " + tx.quote_name(name) + " TEMPLATE " + tx.quote_name(from));
      return;
    } catch (const pqxx::sql_error& e) {
      if (attempt >= 50) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100 + attempt * 20));  // lock contention backoff
    }
  }
}

// WITH (FORCE) ends the sessions in the database, but on a Citus node a new one can come in meanwhile (a
// node's maintenance daemon, the coordinator's connections): then the database is closed to new
// connections and the drop tried again.
void Drop(const std::string& admin_url, const std::string& name) {
  pqxx::connection conn(admin_url);
  pqxx::nontransaction tx(conn);
  const std::string db = tx.quote_name(name);
  for (int attempt = 0;; ++attempt) {
    try {
      tx.exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      return;
    } catch (const pqxx::sql_error& e) {
      if (e.sqlstate() != "55006" || attempt >= 10) throw;  // object_in_use: "being accessed by other users"
      tx.exec("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
    }
  }
}

}  // namespace

TestDatabase::TestDatabase() {
  const std::string template_url = RequireEnv("DRIFTGATE_TEST_DB_URL");
  admin_url_ = RequireEnv("DRIFTGATE_TEST_DB_ADMIN_URL");
  more_nodes_ = MoreNodes();
  static std::atomic<int> counter{0};
  std::random_device rd;
  name_ = "dgt_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
          std::to_string(rd() % 100000);
  url_ = Base(template_url) + "/" + name_;
  std::size_t made = 0;
  try {
    for (; made < more_nodes_.size(); ++made) Clone(more_nodes_[made], name_, DbName(template_url));
    Clone(admin_url_, name_, DbName(template_url));
  } catch (...) {
    for (std::size_t i = 0; i < made; ++i) {
      try {
        Drop(more_nodes_[i], name_);
      } catch (const std::exception&) {  // the clone's own error is the one to report
      }
    }
    throw;
  }
}

TestDatabase::~TestDatabase() {
  // The coordinator first: it holds connections to the workers' databases while it lives.
  std::vector<std::string> nodes{admin_url_};
  nodes.insert(nodes.end(), more_nodes_.begin(), more_nodes_.end());
  for (const auto& node : nodes) {
    try {
      Drop(node, name_);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "could not drop test database " << name_ << ": " << e.what();
    }
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
