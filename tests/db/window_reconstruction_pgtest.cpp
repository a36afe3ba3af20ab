// The multivariate errors a kept drift window reuses between checks (service/drift/window_reconstruction.h):
// the mean is exactly the one scored afresh over the whole window, only the rows that entered since are
// scored, and a new model, or rows a seq cannot name, are scored in full.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/stats/reconstruction.h"
#include "service/drift/drift_judgement.h"
#include "service/drift/window_columns.h"
#include "service/drift/window_reconstruction.h"
#include "tests/support/sampler.h"

namespace driftgate::service {
namespace {

// Correlated numbers (a few components explain most of the variance), a category, and now and then a
// null or a missing feature (imputed).
// `broken`: the same marginals, each feature with a common part of its own (the correlation gone).
WindowRow Row(test_support::Sampler& rng, std::int64_t seq, bool broken) {
  WindowRow r{.seq = seq, .ts_us = 1'793'491'200'000'000 + seq};
  const double base = rng.Gaussian(0.0, 1.0);
  for (int f = 0; f < 5; ++f) {
    r.features.emplace_back("x" + std::to_string(f),
                            3.0 * (broken ? rng.Gaussian(0.0, 1.0) : base) + rng.Gaussian(0.0, 1.0));
  }
  if (static_cast<int>(rng.Below(10)) == 0) {
    r.features.emplace_back("y", std::monostate{});
  } else if (static_cast<int>(rng.Below(10)) != 1) {
    r.features.emplace_back("y", rng.Gaussian(0.0, 1.0));
  }
  r.features.emplace_back("c", "k" + std::to_string(static_cast<int>(rng.Below(10)) % 3));
  r.pred_class = static_cast<int>(rng.Below(10)) < 5 ? "1" : "0";
  r.score = 0.5;
  return r;
}

std::shared_ptr<const stats::ReconstructionDrift> Model(test_support::Sampler& rng) {
  std::vector<WindowRow> reference;
  for (int i = 0; i < 2000; ++i) reference.push_back(Row(rng, i, false));
  std::vector<const stats::FeatureRow*> rows;
  for (const auto& r : reference) rows.push_back(&r.features);
  auto fitted = stats::ReconstructionDrift::Fit(rows, {});
  EXPECT_TRUE(fitted.has_value());
  return std::make_shared<const stats::ReconstructionDrift>(std::move(*fitted));
}

stats::ReconstructionResult Afresh(const stats::ReconstructionDrift& model,
                                   const std::deque<WindowRow>& rows) {
  std::vector<const stats::FeatureRow*> features;
  for (const auto& r : rows) features.push_back(&r.features);
  return model.Judge(features);
}

TEST(WindowReconstruction, KeptErrorsGiveExactlyTheMeanScoredAfreshAndScoreOnlyNewRows) {
  test_support::Sampler rng(17);
  const auto model = Model(rng);
  WindowReconstruction kept;
  std::deque<WindowRow> rows;  // newest first
  constexpr std::size_t kWindow = 700;
  std::int64_t seq = 5000;
  // Batches smaller and larger than the window, a broken correlation from the fourth on.
  int round = 0;
  for (std::size_t batch : {300, 300, 120, 1, 900, 450, 50}) {
    for (std::size_t i = 0; i < batch; ++i) rows.push_front(Row(rng, seq++, round >= 3));
    while (rows.size() > kWindow) rows.pop_back();
    const std::size_t before = kept.scored();
    const auto r = kept.Judge(model, rows);
    const auto fresh = Afresh(*model, rows);
    EXPECT_EQ(r.error, fresh.error) << "round " << round;
    EXPECT_EQ(r.alert, fresh.alert);
    EXPECT_EQ(r.rows, rows.size());
    EXPECT_EQ(kept.scored() - before, std::min(batch, kWindow)) << "round " << round;
    ++round;
  }
  EXPECT_TRUE(kept.Judge(model, rows).alert);  // the broken correlation is seen
}

TEST(WindowReconstruction, ANewModelScoresEveryRowAgain) {
  test_support::Sampler rng(19);
  const auto first = Model(rng);
  const auto second = Model(rng);
  std::deque<WindowRow> rows;
  for (int i = 0; i < 400; ++i) rows.push_front(Row(rng, 100 + i, false));
  WindowReconstruction kept;
  kept.Judge(first, rows);
  const auto r = kept.Judge(second, rows);
  EXPECT_EQ(kept.scored(), 800u);
  EXPECT_EQ(r.error, Afresh(*second, rows).error);
  EXPECT_NE(r.error, Afresh(*first, rows).error);
  kept.Judge(second, rows);
  EXPECT_EQ(kept.scored(), 800u);  // nothing new
}

TEST(WindowReconstruction, RowsOutOfSeqOrderAreScoredInFull) {
  test_support::Sampler rng(23);
  const auto model = Model(rng);
  std::deque<WindowRow> rows;
  for (int i = 0; i < 300; ++i) rows.push_front(Row(rng, 7, false));  // one seq for every row
  WindowReconstruction kept;
  kept.Judge(model, rows);
  rows.front() = Row(rng, 7, true);  // another row under the same seq
  const auto r = kept.Judge(model, rows);
  EXPECT_EQ(kept.scored(), 600u);
  EXPECT_EQ(r.error, Afresh(*model, rows).error);
}

TEST(WindowReconstruction, ACheckOverKeptColumnsGivesTheMultivariateVerdictOfOneOverTheRows) {
  test_support::Sampler rng(29);
  std::vector<WindowRow> reference_rows;
  for (int i = 0; i < 2000; ++i) reference_rows.push_back(Row(rng, i, false));
  const ReferenceData reference = BuildReference(reference_rows, kpi::Task::kBinary);
  ASSERT_NE(reference.multivariate, nullptr);
  std::deque<WindowRow> rows;
  WindowColumns columns;
  std::int64_t seq = 10000;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 600; ++i) {
      rows.push_front(Row(rng, seq++, round == 2));
      columns.Add(rows.front());
    }
    while (rows.size() > 1000) {
      columns.Remove(rows.back());
      rows.pop_back();
    }
    columns.Settle();
    const auto kept = SummarizeWindow(rows, columns, reference, kpi::Task::kBinary, {});
    const auto afresh = SummarizeWindow(rows, reference, kpi::Task::kBinary, {});
    ASSERT_TRUE(kept.multivariate && afresh.multivariate);
    EXPECT_EQ(kept.multivariate->error, afresh.multivariate->error);
    EXPECT_EQ(kept.multivariate->alert, afresh.multivariate->alert);
  }
  EXPECT_EQ(columns.reconstruction().scored(), 1800u);  // each row once
}

}  // namespace
}  // namespace driftgate::service
