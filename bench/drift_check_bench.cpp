// The computation of one data-drift check (service/drift/drift_judgement.h) at the size the performance
// figure names: a window of 10,000 predictions against a reference of 10,000, each with 20 numeric and 5
// categorical features, a 0/1 prediction and a score; the defaults' tests (reference > 1,000 rows:
// wasserstein_normed for numbers, jensen_shannon for categories), the data-quality verdict and the CBPE
// estimate. The reference is typed once (checks cache it per reference version).
//   DriftCheck:      a check as the drift worker makes it every `drift.every` (1,000) predictions: the
//                    new predictions' block (1,000 records, zstd) decoded, their rows entering the kept
//                    window columns and the oldest 1,000 leaving (service/drift/window_columns.h), then the
//                    tests, the data quality, the multivariate error (kept per row: only the new rows
//                    are scored, service/drift/window_reconstruction.h) and the estimate;
//   DriftCheckCold:  the same over a window whose columns are collected from its 10,000 rows (a model's
//                    first check after a restart or a cache eviction);
//   DecodeBlock:     decoding one stored block of 1,000 records alone.
//   PcaCheck, PcaFit: the multivariate (PCA reconstruction error) part of a check over the 10,000 window
//                    rows, and its fit on the 10,000 reference rows (core/stats/reconstruction.h).
#include <benchmark/benchmark.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include "core/stats/reconstruction.h"
#include "db/feature_block.h"
#include "service/drift/drift_judgement.h"

namespace {

using driftgate::domain::PredictionRecord;
using driftgate::service::WindowRow;

constexpr std::size_t kRows = 10000;
constexpr int kNumeric = 20;
constexpr int kCategorical = 5;

PredictionRecord Record(std::mt19937_64& rng, double shift) {
  std::normal_distribution<double> normal(shift, 1.0);
  std::uniform_int_distribution<int> category(0, 7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  PredictionRecord r;
  for (int f = 0; f < kNumeric; ++f) r.features.emplace_back("num" + std::to_string(f), normal(rng));
  for (int f = 0; f < kCategorical; ++f) {
    r.features.emplace_back("cat" + std::to_string(f), "c" + std::to_string(category(rng)));
  }
  r.score = unit(rng);
  r.prediction.cls = *r.score > 0.5 ? "1" : "0";
  return r;
}

WindowRow Row(const PredictionRecord& r, std::int64_t seq) {
  return WindowRow{
      .seq = seq, .ts_us = seq, .features = r.features, .pred_class = r.prediction.cls, .score = r.score};
}

struct Fixture {
  driftgate::domain::ModelConfig config;
  driftgate::service::ReferenceData reference;
  std::vector<driftgate::db::LabelledReferenceRow> labelled;
  std::deque<WindowRow> window;  // newest first

  Fixture() {
    std::mt19937_64 rng(7);
    std::vector<WindowRow> reference_rows;
    for (std::size_t i = 0; i < kRows; ++i) {
      const auto r = Record(rng, 0.0);
      reference_rows.push_back(Row(r, static_cast<std::int64_t>(i)));
      if (i < 2000)
        labelled.push_back(
            {.score = *r.score, .pred_class = r.prediction.cls, .label_class = r.prediction.cls});
    }
    for (std::size_t i = 0; i < kRows; ++i)
      window.push_front(Row(Record(rng, 0.05), static_cast<std::int64_t>(i)));
    config.task = driftgate::kpi::Task::kBinary;
    config.kpis.push_back({.metric = driftgate::kpi::Metric::kAccuracy});
    reference = driftgate::service::BuildReference(reference_rows, config.task);
  }
};

void BM_DriftCheck_Window10k_Ref10k_20num_5cat(benchmark::State& state) {
  Fixture f;
  driftgate::service::WindowColumns columns;
  for (const auto& r : f.window) columns.Add(r);
  columns.Settle();
  // The predictions a check finds new: one stored block of 1,000 records, decoded at every check.
  std::mt19937_64 rng(13);
  std::vector<PredictionRecord> records;
  for (int i = 0; i < 1000; ++i) records.push_back(Record(rng, 0.05));
  std::vector<const PredictionRecord*> pointers;
  for (const auto& r : records) pointers.push_back(&r);
  const std::string body = driftgate::db::EncodeBlock(pointers);
  std::int64_t seq = static_cast<std::int64_t>(kRows);
  for (auto _ : state) {
    const auto block = driftgate::db::DecodeBlock(body);
    for (std::size_t i = 0; i < block.size; ++i) {
      f.window.push_front(WindowRow{.seq = seq++,
                                    .ts_us = block.ts_us[i],
                                    .features = block.Features(i),
                                    .pred_class = records[i].prediction.cls,
                                    .score = records[i].score});
      columns.Add(f.window.front());
    }
    while (f.window.size() > kRows) {
      columns.Remove(f.window.back());
      f.window.pop_back();
    }
    columns.Settle();
    auto summary = driftgate::service::SummarizeWindow(f.window, columns, f.reference, f.config.task,
                                                       f.config.data_quality);
    auto drift = driftgate::service::JudgeDataDrift(f.reference, summary, f.config.drift);
    auto estimate = driftgate::service::EstimateKpis(f.config, f.labelled, summary.scores);
    benchmark::DoNotOptimize(drift);
    benchmark::DoNotOptimize(estimate);
  }
}

void BM_DriftCheckCold_Window10k_Ref10k_20num_5cat(benchmark::State& state) {
  Fixture f;
  for (auto _ : state) {
    auto summary =
        driftgate::service::SummarizeWindow(f.window, f.reference, f.config.task, f.config.data_quality);
    auto drift = driftgate::service::JudgeDataDrift(f.reference, summary, f.config.drift);
    auto estimate = driftgate::service::EstimateKpis(f.config, f.labelled, summary.scores);
    benchmark::DoNotOptimize(drift);
    benchmark::DoNotOptimize(estimate);
  }
}

std::vector<PredictionRecord> Records(std::uint64_t seed, double shift) {
  std::mt19937_64 rng(seed);
  std::vector<PredictionRecord> out;
  for (std::size_t i = 0; i < kRows; ++i) out.push_back(Record(rng, shift));
  return out;
}

std::vector<const driftgate::stats::FeatureRow*> FeatureRows(const std::vector<PredictionRecord>& records) {
  std::vector<const driftgate::stats::FeatureRow*> out;
  for (const auto& r : records) out.push_back(&r.features);
  return out;
}

void BM_PcaCheck_Window10k_20num_5cat(benchmark::State& state) {
  const auto reference = Records(7, 0.0);
  const auto window = Records(8, 0.05);
  const auto model = driftgate::stats::ReconstructionDrift::Fit(FeatureRows(reference), {});
  if (!model) {
    state.SkipWithError("no PCA model");
    return;
  }
  const auto rows = FeatureRows(window);
  for (auto _ : state) {
    auto result = model->Judge(rows);
    benchmark::DoNotOptimize(result);
  }
  state.counters["components"] = static_cast<double>(model->components());
}

void BM_PcaFit_Ref10k_20num_5cat(benchmark::State& state) {
  const auto reference = Records(7, 0.0);
  const auto rows = FeatureRows(reference);
  for (auto _ : state) {
    auto model = driftgate::stats::ReconstructionDrift::Fit(rows, {});
    benchmark::DoNotOptimize(model);
  }
}

void BM_DecodeBlock_1000_20num_5cat(benchmark::State& state) {
  std::mt19937_64 rng(11);
  std::vector<PredictionRecord> records;
  for (int i = 0; i < 1000; ++i) records.push_back(Record(rng, 0.0));
  std::vector<const PredictionRecord*> pointers;
  for (const auto& r : records) pointers.push_back(&r);
  const std::string body = driftgate::db::EncodeBlock(pointers);
  for (auto _ : state) {
    const auto block = driftgate::db::DecodeBlock(body);
    std::size_t features = 0;
    for (std::size_t i = 0; i < block.size; ++i) features += block.Features(i).size();
    benchmark::DoNotOptimize(features);
  }
  state.counters["body_bytes_per_record"] = static_cast<double>(body.size()) / 1000.0;
}

BENCHMARK(BM_DriftCheck_Window10k_Ref10k_20num_5cat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DriftCheckCold_Window10k_Ref10k_20num_5cat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PcaCheck_Window10k_20num_5cat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PcaFit_Ref10k_20num_5cat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeBlock_1000_20num_5cat)->Unit(benchmark::kMillisecond);

}  // namespace
