// Streaming detectors: cost of one Update() (through the Detector interface, as the service calls it) over
// 10^6 elements of a fixed random stream, and ParseNumberLines() throughput on 10^7 lines.
// Baseline (bench/README.md, honesty notes): River's compiled ADWIN costs ~590 ns per update, Python loop
// included; `vs_river_adwin` reports that figure divided by ours.
// ADWIN (10^6 updates, window growing to 10^6, no drift): ~29-31 ns/update with memmove-shifted rows, ldexp
// bucket sizes and River's divisions and sqrt at every cut; ~11-12 ns/update (median of 5, two shared cores)
// with moving row heads, a power table and the division-free bound that rules cuts out before River's exact
// test (core/detect/adwin.h). Same signals and snapshots, bit for bit
// (tests/unit/detect/adwin_equivalence_test).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/detect/detector.h"
#include "core/detect/replay.h"

namespace {

using driftgate::detect::Detector;
using driftgate::detect::Make;
using driftgate::detect::ParseSpec;

constexpr std::size_t kUpdates = 1000000;
constexpr std::size_t kLines = 10000000;
constexpr double kRiverAdwinSecondsPerUpdate = 590e-9;

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  double Uniform() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_;
};

// 0/1 errors at a 20% rate: the stream the service feeds every detector in classification.
const std::vector<double>& ErrorStream() {
  static const std::vector<double> stream = [] {
    SplitMix64 rng(2024);
    std::vector<double> v(kUpdates);
    for (auto& x : v) x = rng.Uniform() < 0.2 ? 1.0 : 0.0;
    return v;
  }();
  return stream;
}

// Absolute errors (half-normal-ish, real valued) for the detectors that take real values.
const std::vector<double>& RealStream() {
  static const std::vector<double> stream = [] {
    SplitMix64 rng(2025);
    std::vector<double> v(kUpdates);
    for (auto& x : v) {
      const double u1 = 1.0 - rng.Uniform();
      const double u2 = rng.Uniform();
      x = std::fabs(std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
    }
    return v;
  }();
  return stream;
}

void RunUpdates(benchmark::State& state, const std::string& spec_text, const std::vector<double>& stream,
                bool river_baseline) {
  const auto spec = ParseSpec(spec_text);
  std::size_t drifts = 0;
  for (auto _ : state) {
    auto made = Make(spec.value());  // fresh per pass, so every pass sees the same window growth
    Detector& detector = *made.value();
    for (const double x : stream) {
      drifts += detector.Update(x) == driftgate::detect::Signal::kDrift ? 1 : 0;
    }
    benchmark::DoNotOptimize(drifts);
  }
  const auto updates = static_cast<double>(state.iterations() * stream.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(updates));
  state.counters["ns_per_update"] =
      benchmark::Counter(updates * 1e-9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["drifts_per_pass"] = static_cast<double>(drifts) / static_cast<double>(state.iterations());
  if (river_baseline) {
    state.counters["vs_river_adwin"] =
        benchmark::Counter(updates * kRiverAdwinSecondsPerUpdate, benchmark::Counter::kIsRate);
  }
}

void BM_AdwinUpdate(benchmark::State& state) { RunUpdates(state, "adwin", ErrorStream(), true); }
void BM_AdwinUpdateRealValues(benchmark::State& state) { RunUpdates(state, "adwin", RealStream(), true); }
void BM_DdmUpdate(benchmark::State& state) { RunUpdates(state, "ddm", ErrorStream(), false); }
void BM_EddmUpdate(benchmark::State& state) { RunUpdates(state, "eddm", ErrorStream(), false); }
void BM_HddmAUpdate(benchmark::State& state) { RunUpdates(state, "hddm_a", ErrorStream(), false); }
void BM_HddmWUpdate(benchmark::State& state) { RunUpdates(state, "hddm_w", ErrorStream(), false); }
void BM_PageHinkleyUpdate(benchmark::State& state) { RunUpdates(state, "page_hinkley", RealStream(), false); }
void BM_KswinUpdate(benchmark::State& state) { RunUpdates(state, "kswin", RealStream(), false); }

BENCHMARK(BM_AdwinUpdate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AdwinUpdateRealValues)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DdmUpdate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EddmUpdate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HddmAUpdate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HddmWUpdate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PageHinkleyUpdate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_KswinUpdate)->Unit(benchmark::kMillisecond);

// 10^7 lines as `driftgate replay` reads them: 0/1 errors and absolute errors with six decimals.
const std::string& NumberText() {
  static const std::string text = [] {
    SplitMix64 rng(2026);
    std::string t;
    t.reserve(kLines * 7);
    char buffer[32];
    for (std::size_t i = 0; i < kLines; ++i) {
      if (i % 2 == 0) {
        t += rng.Uniform() < 0.2 ? "1\n" : "0\n";
      } else {
        const int n = std::snprintf(buffer, sizeof(buffer), "%.6f\n", 3.0 * rng.Uniform());
        t.append(buffer, static_cast<std::size_t>(n));
      }
    }
    return t;
  }();
  return text;
}

void BM_ParseNumberLines(benchmark::State& state) {
  const std::string& text = NumberText();
  std::size_t parsed = 0;
  for (auto _ : state) {
    auto values = driftgate::detect::ParseNumberLines(text);
    parsed = values.value().size();
    benchmark::DoNotOptimize(values);
  }
  if (parsed != kLines) state.SkipWithError("wrong line count");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kLines));
  state.counters["lines_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kLines), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseNumberLines)->Unit(benchmark::kMillisecond);

}  // namespace
