// A fresh PostgreSQL database for one test, cloned from the migrated template that `make test` prepares
// (DRIFTGATE_TEST_DB_URL names it; DRIFTGATE_TEST_DB_ADMIN_URL is a maintenance connection). Dropped on
// destruction. On a Citus cluster (tests/scale/citus.sh) DRIFTGATE_TEST_DB_NODES lists the workers'
// maintenance URLs, and the template is cloned on every node.
#pragma once

#include <string>
#include <vector>

namespace driftgate::test_support {

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  // Runs a query and returns the first column of the first row as text ("" when no row).
  std::string Scalar(const std::string& sql) const;
  // The stored features of the prediction `record_id` (of any model) as a JSON object's text, decoded
  // from its block (db/feature_block.h); "" when there is no such prediction.
  std::string StoredFeatures(const std::string& record_id) const;

 private:
  std::string admin_url_;
  std::vector<std::string> more_nodes_;
  std::string name_;
  std::string url_;
};

}  // namespace driftgate::test_support
