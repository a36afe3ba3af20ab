// The KS test alone, without loading: stats::Run(kKs) on the two files bench/compare_vs_scipy.sh writes
// (named by DRIFTGATE_BENCH_KS_REFERENCE and DRIFTGATE_BENCH_KS_CURRENT), read and parsed once before the
// timing. Its scipy counterpart is ks_2samp on the already loaded arrays, so the pair gives the ratio
// without file loading next to the whole-process one. Without the variables the benchmark is skipped.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "core/stats/two_sample.h"

namespace {

using driftgate::stats::Sample;

std::optional<Sample> Load(const char* variable) {
  const char* path = std::getenv(variable);
  if (path == nullptr) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  auto sample = driftgate::stats::ParseSample(text.str(), /*force_categorical=*/false);
  if (!sample.ok()) return std::nullopt;
  return std::move(sample).value();
}

void BM_KsOnFiles_NoLoading(benchmark::State& state) {
  const auto reference = Load("DRIFTGATE_BENCH_KS_REFERENCE");
  const auto current = Load("DRIFTGATE_BENCH_KS_CURRENT");
  if (!reference || !current) {
    state.SkipWithError("set DRIFTGATE_BENCH_KS_REFERENCE and DRIFTGATE_BENCH_KS_CURRENT to readable files");
    return;
  }
  for (auto _ : state) {
    auto result = driftgate::stats::Run(driftgate::stats::Test::kKs, *reference, *current);
    benchmark::DoNotOptimize(result);
  }
}

BENCHMARK(BM_KsOnFiles_NoLoading)->Unit(benchmark::kMillisecond);

}  // namespace
