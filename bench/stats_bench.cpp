// Two-sample tests on 10^6 vs 10^6 values (bench/README.md; the scipy baseline is
// bench/compare_vs_scipy.sh). Each iteration is a full stats::Run: copies, sorts/selects, statistic,
// p-value.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "core/stats/kolmogorov.h"
#include "core/stats/two_sample.h"

namespace {

using driftgate::stats::Sample;
using driftgate::stats::Test;

constexpr std::size_t kSize = 1000000;

Sample Normal(std::uint64_t seed, double shift) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(shift, 1.0);
  Sample sample;
  sample.numbers.resize(kSize);
  for (double& x : sample.numbers) x = normal(rng);
  return sample;
}

void RunTest(benchmark::State& state, Test test, double shift) {
  const Sample reference = Normal(1, 0.0);
  const Sample current = Normal(2, shift);
  for (auto _ : state) {
    auto result = driftgate::stats::Run(test, reference, current);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 2 *
                          static_cast<std::int64_t>(kSize));
}

// Same distribution: D ~ 1e-3, p from the Pelz–Good series.
void BM_Ks_1e6_vs_1e6_Same(benchmark::State& state) { RunTest(state, Test::kKs, 0.0); }
// Shift 0.01: D ~ 4e-3, n·D² ~ 8, p from the exact Smirnov sum over ~5·10^5 terms.
void BM_Ks_1e6_vs_1e6_Drift(benchmark::State& state) { RunTest(state, Test::kKs, 0.01); }
void BM_Psi_1e6_vs_1e6(benchmark::State& state) { RunTest(state, Test::kPsi, 0.01); }
void BM_WassersteinNormed_1e6_vs_1e6(benchmark::State& state) {
  RunTest(state, Test::kWassersteinNormed, 0.01);
}

// The p-value alone in its most expensive region (kstwo at n = 5·10^5, n·x² = 8).
void BM_KstwoSf_Smirnov_n500000(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(driftgate::stats::KolmogorovSf(500000, 0.004));
}

BENCHMARK(BM_Ks_1e6_vs_1e6_Same)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Ks_1e6_vs_1e6_Drift)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Psi_1e6_vs_1e6)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WassersteinNormed_1e6_vs_1e6)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_KstwoSf_Smirnov_n500000)->Unit(benchmark::kMillisecond);

}  // namespace
