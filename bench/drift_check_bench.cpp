// The computation of one data-drift check (service/drift_judgement.h) at the size the performance figure
// names: a window of 10,000 predictions against a reference of 10,000, each with 20 numeric and 5
// categorical features, a 0/1 prediction and a score; the defaults' tests (reference > 1,000 rows:
// wasserstein_normed for numbers, jensen_shannon for categories), the data-quality verdict and the CBPE
// estimate, and the multivariate (PCA reconstruction error) result. The reference is typed and the PCA
// fitted once (checks cache both per reference version); each iteration is what a check computes over its
// window. Timed on their own: the PCA part of a check (encoding and reconstructing the 10,000 window rows,
// core/stats/reconstruction.h), its fit on the 10,000 reference rows, and decoding the new predictions of a
// check from their stored block (1,000 records, zstd).
#include <benchmark/benchmark.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include "core/stats/reconstruction.h"
#include "db/feature_block.h"
#include "service/drift_judgement.h"

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

void BM_DriftCheck_Window10k_Ref10k_20num_5cat(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::vector<WindowRow> reference_rows;
  std::vector<driftgate::db::LabelledReferenceRow> labelled;
  for (std::size_t i = 0; i < kRows; ++i) {
    const auto r = Record(rng, 0.0);
    reference_rows.push_back(Row(r, static_cast<std::int64_t>(i)));
    if (i < 2000)
      labelled.push_back(
          {.score = *r.score, .pred_class = r.prediction.cls, .label_class = r.prediction.cls});
  }
  std::deque<WindowRow> window;
  for (std::size_t i = 0; i < kRows; ++i)
    window.push_front(Row(Record(rng, 0.05), static_cast<std::int64_t>(i)));
  driftgate::domain::ModelConfig config;
  config.task = driftgate::kpi::Task::kBinary;
  config.kpis.push_back({.metric = driftgate::kpi::Metric::kAccuracy});
  const auto reference = driftgate::service::BuildReference(reference_rows, config.task);
  for (auto _ : state) {
    auto summary = driftgate::service::SummarizeWindow(window, reference, config.task, config.data_quality);
    auto drift = driftgate::service::JudgeDataDrift(reference, summary, config.drift);
    auto estimate = driftgate::service::EstimateKpis(config, labelled, summary.scores);
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
BENCHMARK(BM_PcaCheck_Window10k_20num_5cat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PcaFit_Ref10k_20num_5cat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeBlock_1000_20num_5cat)->Unit(benchmark::kMillisecond);

}  // namespace
