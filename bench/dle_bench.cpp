// The regression estimate (core/dle/dle.h): one fit on a 10,000-row labelled reference with 20 features
// (two XGBoost boosters of 100 rounds on the 7,500 training rows, the holdout's calibration included) and
// one estimate on a 5,000-row window (the default drift window). The baseline, the xgboost Python package
// fitting the same shapes with the same parameters, is bench/dle_baseline.py (bench/run.sh runs both).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "core/dle/dle.h"

namespace {

using driftgate::dle::FeatureRow;

constexpr std::size_t kFeatures = 20;

// Rows with 20 numeric features, the prediction sum of the first three, the error's spread growing with
// the first feature.
struct Data {
  std::vector<FeatureRow> rows;
  std::vector<double> predictions;
  std::vector<double> errors;
  std::vector<const FeatureRow*> pointers;
};

Data Make(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Data d;
  d.rows.resize(n);
  for (auto& row : d.rows) {
    for (std::size_t j = 0; j < kFeatures; ++j) row.emplace_back("f" + std::to_string(100 + j), normal(rng));
    const double x0 = std::get<double>(row[0].second);
    d.predictions.push_back(x0 + std::get<double>(row[1].second) - std::get<double>(row[2].second));
    d.errors.push_back(normal(rng) * (0.3 + 0.5 * std::max(x0, 0.0)));
  }
  for (const auto& row : d.rows) d.pointers.push_back(&row);
  return d;
}

void BM_DleFit_10000x20(benchmark::State& state) {
  const Data d = Make(10000, 1);
  for (auto _ : state) {
    auto encoding = driftgate::dle::Encoding::Build(d.pointers);
    const auto x = encoding.Encode(d.pointers, d.predictions);
    auto model = driftgate::dle::Fit(std::move(encoding), x, d.errors, {});
    if (!model.ok()) state.SkipWithError(model.error().message.c_str());
    benchmark::DoNotOptimize(model);
  }
}
BENCHMARK(BM_DleFit_10000x20)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_DleEstimate_5000(benchmark::State& state) {
  const Data reference = Make(10000, 1);
  const Data window = Make(5000, 2);
  auto encoding = driftgate::dle::Encoding::Build(reference.pointers);
  const auto x = encoding.Encode(reference.pointers, reference.predictions);
  auto model = driftgate::dle::Fit(std::move(encoding), x, reference.errors, {});
  if (!model.ok()) {
    state.SkipWithError(model.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    const auto w = model->encoding.Encode(window.pointers, window.predictions);
    auto e = driftgate::dle::Estimate(*model, w, 0.95);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_DleEstimate_5000)->Unit(benchmark::kMillisecond);

}  // namespace
