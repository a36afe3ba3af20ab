// The drift window's kept columns (service/drift/window_columns.h) against columns collected afresh, a check
// over them against one over the rows, and the prediction id check that is probed before the model's lock
// and completed under it (db/records_repo.cpp, migrations/V016__prediction_id_probe.sql).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "db/models_repo.h"
#include "db/records_repo.h"
#include "service/drift/drift_judgement.h"
#include "service/drift/window_columns.h"
#include "tests/support/sampler.h"
#include "tests/support/test_db.h"

namespace driftgate::service {
namespace {

// Rows with numbers, strings, nulls, a column that mixes numbers and strings, and repeated values (ties
// must leave the sorted columns one for one).
WindowRow RandomRow(test_support::Sampler& rng, std::int64_t seq, double shift) {
  const auto pick = [&rng] { return static_cast<int>(rng.Below(10)); };  // 0..9
  WindowRow r{.seq = seq, .ts_us = 1'793'491'200'000'000 + seq};
  r.features.emplace_back("a", std::round(rng.Gaussian(shift, 1.0) * 4) / 4);  // many ties
  r.features.emplace_back("b", rng.Gaussian(shift, 1.0) * 100);
  if (pick() < 2) {
    r.features.emplace_back("c", std::monostate{});
  } else {
    r.features.emplace_back("c", "k" + std::to_string(pick() % 4));
  }
  if (pick() < 3) {
    r.features.emplace_back("mixed", static_cast<double>(pick()));
  } else {
    r.features.emplace_back("mixed", std::string(pick() < 5 ? "x" : "y"));
  }
  r.pred_class = pick() < 5 ? "1" : "0";
  r.score = rng.Uniform();
  return r;
}

void ExpectSameColumns(const WindowColumns& kept, const std::deque<WindowRow>& rows) {
  WindowColumns fresh;
  for (const auto& r : rows) fresh.Add(r);
  fresh.Settle();
  for (const auto& [name, c] : fresh.columns()) {
    const auto it = kept.columns().find(name);
    ASSERT_NE(it, kept.columns().end()) << name;
    EXPECT_EQ(it->second.numbers, c.numbers) << name;
    EXPECT_EQ(WindowColumns::Labels(it->second), WindowColumns::Labels(c)) << name;
  }
  for (const auto& [name, c] : kept.columns()) {
    if (!fresh.columns().count(name)) {
      EXPECT_TRUE(c.numbers.empty() && c.labels.empty()) << name << " should hold nothing";
    }
  }
}

TEST(WindowColumns, KeptAsRowsEnterAndLeaveEqualsCollectedAfresh) {
  test_support::Sampler rng(3);
  std::deque<WindowRow> rows;  // newest first, as the drift window keeps them
  WindowColumns kept;
  constexpr std::size_t kWindow = 500;
  std::int64_t seq = 0;
  // Batches smaller and larger than the window: rows that enter and leave within one settle included.
  for (std::size_t batch : {300, 300, 120, 1, 700, 499, 2000, 50}) {
    for (std::size_t i = 0; i < batch; ++i) {
      rows.push_front(RandomRow(rng, seq++, batch > 600 ? 0.5 : 0.0));
      kept.Add(rows.front());
    }
    while (rows.size() > kWindow) {
      kept.Remove(rows.back());
      rows.pop_back();
    }
    kept.Settle();
    ExpectSameColumns(kept, rows);
    EXPECT_TRUE(std::is_sorted(kept.columns().at("b").numbers.begin(), kept.columns().at("b").numbers.end()));
  }
}

TEST(WindowColumns, ACheckOverKeptColumnsEqualsOneOverTheRows) {
  test_support::Sampler rng(5);
  std::vector<WindowRow> reference_rows;
  for (int i = 0; i < 2000; ++i) reference_rows.push_back(RandomRow(rng, i, 0.0));
  const ReferenceData reference = BuildReference(reference_rows, kpi::Task::kBinary);
  std::deque<WindowRow> rows;
  WindowColumns kept;
  std::int64_t seq = 0;
  domain::DataQualitySpec quality;
  domain::DriftSpec spec;
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 700; ++i) {
      rows.push_front(RandomRow(rng, seq++, 0.3 * round));
      kept.Add(rows.front());
    }
    while (rows.size() > 1500) {
      kept.Remove(rows.back());
      rows.pop_back();
    }
    kept.Settle();
    auto incremental = SummarizeWindow(rows, kept, reference, kpi::Task::kBinary, quality);
    auto afresh = SummarizeWindow(rows, reference, kpi::Task::kBinary, quality);
    EXPECT_EQ(incremental.quality.broken_features, afresh.quality.broken_features);
    ASSERT_EQ(incremental.quality.features.size(), afresh.quality.features.size());
    for (std::size_t i = 0; i < afresh.quality.features.size(); ++i) {
      EXPECT_EQ(incremental.quality.features[i].missing_rate, afresh.quality.features[i].missing_rate);
      EXPECT_EQ(incremental.quality.features[i].type_error_rate, afresh.quality.features[i].type_error_rate);
      EXPECT_EQ(incremental.quality.features[i].out_of_range_rate,
                afresh.quality.features[i].out_of_range_rate);
      EXPECT_EQ(incremental.quality.features[i].unseen_rate, afresh.quality.features[i].unseen_rate);
    }
    auto a = JudgeDataDrift(reference, incremental, spec);
    auto b = JudgeDataDrift(reference, afresh, spec);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->features.size(), b->features.size());
    ASSERT_EQ(a->features.size(), 6u);  // a, b, c, mixed, prediction, score
    for (std::size_t i = 0; i < a->features.size(); ++i) {
      EXPECT_EQ(a->features[i].feature, b->features[i].feature);
      EXPECT_EQ(a->features[i].result.statistic, b->features[i].result.statistic) << a->features[i].feature;
    }
    EXPECT_EQ(a->drift, b->drift);
  }
}

domain::PredictionRecord Prediction(const std::string& id) {
  domain::PredictionRecord r;
  r.id = id;
  r.ts_us = 1'793'491'200'000'000;
  r.prediction = {.cls = "1", .value = 0, .is_number = true};
  r.features = {{"x", 1.5}};
  return r;
}

std::vector<domain::PredictionRecord> Batch(const std::string& prefix, int from, int to) {
  std::vector<domain::PredictionRecord> out;
  for (int i = from; i < to; ++i) out.push_back(Prediction(prefix + std::to_string(i)));
  return out;
}

// A batch sharing ids with one that commits after this batch's probe and before its lock: the ids are
// found under the lock among the blocks committed since the probe, counted as duplicates, stored once.
TEST(PredictionIdProbe, ABatchCommittedBetweenProbeAndLockIsSeenUnderTheLock) {
  test_support::TestDatabase db;
  pqxx::connection conn(db.url()), other(db.url());
  std::int64_t model = 0;
  {
    pqxx::work tx(conn);
    model = db::InsertModel(tx, "m", "binary_classification", "{}", "")->id;
    db::InsertPredictions(tx, model, Batch("old-", 0, 50));
    tx.commit();
  }
  pqxx::work tx(conn);
  bool raced = false;
  const auto ins = db::InsertPredictions(tx, model, Batch("r-", 0, 100), 0, [&] {
    pqxx::work racer(other);  // committed while the first batch has probed but holds no lock yet
    const auto first = db::InsertPredictions(racer, model, Batch("r-", 60, 130));
    racer.commit();
    raced = first.accepted == 70;
  });
  tx.commit();
  EXPECT_TRUE(raced);
  EXPECT_EQ(ins.accepted, 60u);
  EXPECT_EQ(ins.duplicates, 40u);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions WHERE record_id LIKE 'r-%'"), "130");
  EXPECT_EQ(db.Scalar("SELECT count(DISTINCT record_id) FROM predictions"), "180");
}

}  // namespace
}  // namespace driftgate::service
