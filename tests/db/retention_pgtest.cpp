// The data lifecycle on real PostgreSQL (migrations/V004__partitions.sql, service/lifecycle/retention.h): raw
// rows live in day partitions, retention drops whole days once every model's retention has passed, history
// keeps answering, nothing recent is lost, an archive restores the same rows, and ids stay idempotent
// across day and month partitions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "codec/model_config.h"
#include "db/pool.h"
#include "service/ingest/ingest_service.h"
#include "service/lifecycle/archive.h"
#include "service/lifecycle/retention.h"
#include "service/models/models_service.h"
#include "service/reporting/history_service.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"

namespace driftgate::service {
namespace {

using test_support::TestDatabase;

constexpr int kOldDays = 40;  // past the default retention of 30 days, and always in an earlier month

std::int64_t CreateModel(db::Pool& pool, const std::string& name,
                         std::optional<int> raw_days = std::nullopt) {
  nlohmann::json doc = test_support::BinaryModel(name, "http://127.0.0.1:9/hook");
  doc["evaluation"] = {{"window", 100}, {"min_samples", 50}};
  if (raw_days) doc["retention"] = {{"raw_days", *raw_days}};
  ModelsService models(pool, test_support::TestSecretBox());
  auto m = models.Create(*codec::ParseModelConfig(doc), "test");
  EXPECT_TRUE(m.ok()) << m.error().message;
  return m->id;
}

// `n` predictions received `days_ago` days ago (at noon UTC): blocks in that day's partition, their ids in
// that month's prediction_keys partition.
void StoreOldPredictions(const TestDatabase& db, std::int64_t model_id, int days_ago, int n,
                         const std::string& prefix) {
  pqxx::connection conn(db.url());
  pqxx::work tx(conn);
  const std::string at = "(((now() AT TIME ZONE 'UTC')::date - " + std::to_string(days_ago) +
                         " + time '12:00') AT TIME ZONE 'UTC')";
  tx.exec("SELECT driftgate_ensure_partitions((now() AT TIME ZONE 'UTC')::date - " +
          std::to_string(days_ago) + ", (now() AT TIME ZONE 'UTC')::date - " + std::to_string(days_ago) +
          ")");
  const std::string rows = "FROM generate_series(1, " + std::to_string(n) + ") g";
  // One block per prediction with a JSON body: the form of rows stored before blocks were columnar
  // (migrations/V012__prediction_blocks.sql), which every reader still decodes.
  tx.exec_params(
      "INSERT INTO prediction_blocks (model_id, n, received_at, ts_min, ts_max, ids, cls, value, score, "
      "broken, body) "
      "SELECT $1, 1, " +
          at + ", " + at + ", " + at +
          ", ARRAY[$2 || g], ARRAY[(g % 2)::text], "
          "ARRAY[NULL::float8], ARRAY[0.75::float8], ARRAY[NULL::text], '\\x4a'::bytea || "
          "convert_to(jsonb_build_object('ts', "
          "(extract(epoch from " +
          at + ") * 1e6)::bigint, 'features', jsonb_build_object('x', g))::text, 'UTF8') " + rows,
      model_id, prefix);
  tx.exec_params(
      "INSERT INTO prediction_keys (model_id, seq, received_at, ids) SELECT model_id, seq, received_at, ids "
      "FROM prediction_blocks WHERE model_id = $1 AND starts_with(ids[1], $2)",
      model_id, prefix);
  tx.commit();
}

std::vector<domain::PredictionRecord> Predictions(const std::string& prefix, int n) {
  std::vector<domain::PredictionRecord> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto& r = out[static_cast<std::size_t>(i)];
    r.id = prefix + std::to_string(i + 1);
    r.ts_us = 1'793'491'200'000'000 + i;
    r.prediction = {.cls = std::to_string((i + 1) % 2), .value = 0, .is_number = true};
    r.score = 0.75;
    r.features = {{"x", static_cast<double>(i)}};
  }
  return out;
}

// Labels for ids prefix1..prefixN: the prediction's class (correct) except every fifth.
std::vector<domain::LabelRecord> Labels(const std::string& prefix, int n) {
  std::vector<domain::LabelRecord> out;
  for (int i = 1; i <= n; ++i) {
    const std::string cls = std::to_string(i % 5 == 0 ? 1 - i % 2 : i % 2);
    out.push_back({.id = prefix + std::to_string(i),
                   .label = {.cls = cls, .value = 0, .is_number = true},
                   .ts_us = {}});
  }
  return out;
}

std::string DayPartition(const TestDatabase& db, const std::string& table, int days_ago) {
  return table + "_p" +
         db.Scalar("SELECT to_char((now() AT TIME ZONE 'UTC')::date - " + std::to_string(days_ago) +
                   ", 'YYYYMMDD')");
}

bool Exists(const TestDatabase& db, const std::string& relation) {
  return db.Scalar("SELECT to_regclass('" + relation + "') IS NOT NULL") == "t";
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "driftgate-archive-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(Retention, DropsOldDaysKeepsRecentRowsAndHistoryStillAnswers) {
  TestDatabase db;
  db::Pool pool({.url = db.url(), .size = 4});
  const auto model = CreateModel(pool, "m");
  StoreOldPredictions(db, model, kOldDays, 100, "old-");
  IngestService ingest(pool, {});
  // Late labels for the old predictions and a fresh batch: two evaluations, their metric points and a
  // decision are history now.
  auto late = ingest.IngestLabels("m", Labels("old-", 100));
  ASSERT_TRUE(late.ok()) << late.error().message;
  EXPECT_EQ(late->unmatched, 0u);
  ASSERT_TRUE(ingest.IngestPredictions("m", Predictions("new-", 100)).ok());
  ASSERT_TRUE(ingest.IngestLabels("m", Labels("new-", 100)).ok());
  HistoryService history(pool);
  const auto metrics_before = history.Metrics("m", {});
  const auto decisions_before = history.Decisions("m", {});
  ASSERT_TRUE(metrics_before.ok() && decisions_before.ok());
  ASSERT_EQ(metrics_before->items.size(), 2u);
  ASSERT_FALSE(decisions_before->items.empty());

  Retention retention(pool, {.default_raw_days = 30});
  auto pass = retention.RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->retention_days, 30);
  const std::string old_predictions = DayPartition(db, "prediction_blocks", kOldDays);
  EXPECT_FALSE(Exists(db, old_predictions));
  EXPECT_NE(std::find(pass->dropped.begin(), pass->dropped.end(), old_predictions), pass->dropped.end());
  // Nothing recent is lost; today's and the days ahead are still there.
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions WHERE model_id = " + std::to_string(model)), "100");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions WHERE record_id LIKE 'new-%'"), "100");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM labels WHERE record_id LIKE 'new-%'"), "100");
  EXPECT_TRUE(Exists(db, DayPartition(db, "prediction_blocks", 0)));
  EXPECT_TRUE(Exists(db, DayPartition(db, "labels", -7)));
  // History is in its own tables: the same answers as before the drop.
  const auto metrics_after = history.Metrics("m", {});
  const auto decisions_after = history.Decisions("m", {});
  ASSERT_TRUE(metrics_after.ok() && decisions_after.ok());
  EXPECT_EQ(metrics_after->items.size(), metrics_before->items.size());
  EXPECT_EQ(decisions_after->items.size(), decisions_before->items.size());
  // The old ids' keys outlive their raw day (their month is kept): a re-sent old label is a duplicate.
  auto again = ingest.IngestLabels("m", Labels("old-", 10));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->duplicates, 10u);
  // A second pass finds nothing more to do.
  auto second = retention.RunOnce();
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->dropped.empty());
}

TEST(Retention, ArchiveAndRestoreRoundTripTheRows) {
  TestDatabase db;
  db::Pool pool({.url = db.url(), .size = 4});
  const auto model = CreateModel(pool, "m");
  StoreOldPredictions(db, model, kOldDays, 250, "a\tb\\c-");  // escaping survives the round trip
  const std::string partition = DayPartition(db, "prediction_blocks", kOldDays);
  const std::string checksum_sql =
      "SELECT md5(string_agg(ids::text || encode(body, 'hex') || ts_min::text, ',' ORDER BY seq)) FROM " +
      partition;
  const std::string checksum = db.Scalar(checksum_sql);
  TempDir dir;

  Retention retention(pool, {.default_raw_days = 30, .archive_dir = dir.path()});
  auto pass = retention.RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->archived_rows, 250);  // the old labels day is empty: 0 rows
  const std::string file = dir.path() + "/" + partition + ".copy.zst";
  ASSERT_TRUE(std::filesystem::is_regular_file(file));
  EXPECT_FALSE(Exists(db, partition));
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions"), "0");

  auto restored = RestoreArchive(pool, file);
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(restored->table, "prediction_blocks");
  EXPECT_EQ(restored->rows, 250);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM " + partition), "250");
  EXPECT_EQ(db.Scalar(checksum_sql), checksum);

  auto not_an_archive = RestoreArchive(pool, dir.path() + "/missing.copy.zst");
  EXPECT_FALSE(not_an_archive.ok());
}

TEST(Retention, AModelWithALongerRetentionKeepsTheSharedDays) {
  TestDatabase db;
  db::Pool pool({.url = db.url(), .size = 4});
  const auto model = CreateModel(pool, "short");
  CreateModel(pool, "long", 60);
  StoreOldPredictions(db, model, kOldDays, 10, "old-");
  Retention retention(pool, {.default_raw_days = 30});
  auto pass = retention.RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->retention_days, 60);
  EXPECT_TRUE(pass->dropped.empty());
  EXPECT_TRUE(Exists(db, DayPartition(db, "prediction_blocks", kOldDays)));
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions"), "10");
}

TEST(Partitions, IdsAreIdempotentAcrossDayAndMonthPartitions) {
  TestDatabase db;
  db::Pool pool({.url = db.url(), .size = 4});
  const auto model = CreateModel(pool, "m");
  StoreOldPredictions(db, model, kOldDays, 5, "p");  // p1..p5, in an earlier month's key partition
  IngestService ingest(pool, {});
  auto batch = Predictions("p", 8);  // p1..p8: five known, three new
  auto r = ingest.IngestPredictions("m", batch);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->accepted, 3u);
  EXPECT_EQ(r->duplicates, 5u);
  auto again = ingest.IngestPredictions("m", batch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->accepted, 0u);
  EXPECT_EQ(again->duplicates, 8u);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions"), "8");
  // Labels find their predictions whatever month their keys are in.
  auto labels = ingest.IngestLabels("m", Labels("p", 8));
  ASSERT_TRUE(labels.ok()) << labels.error().message;
  EXPECT_EQ(labels->accepted, 8u);
  EXPECT_EQ(labels->unmatched, 0u);
}

TEST(Partitions, IngestCreatesAMissingDayPartitionAndRetries) {
  TestDatabase db;
  db::Pool pool({.url = db.url(), .size = 4});
  CreateModel(pool, "m");
  {
    pqxx::connection conn(db.url());
    pqxx::work tx(conn);
    tx.exec("DROP TABLE " + DayPartition(db, "prediction_blocks", 0) + ", " + DayPartition(db, "labels", 0));
    tx.commit();
  }
  IngestService ingest(pool, {});
  auto r = ingest.IngestPredictions("m", Predictions("x", 3));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->accepted, 3u);
  auto l = ingest.IngestLabels("m", Labels("x", 3));
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->accepted, 3u);
  EXPECT_TRUE(Exists(db, DayPartition(db, "prediction_blocks", 0)));
}

}  // namespace
}  // namespace driftgate::service
