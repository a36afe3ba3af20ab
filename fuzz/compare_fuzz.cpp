// libFuzzer target: the inputs of `driftgate compare` — two one-value-per-line files (stats::ParseSample)
// and every two-sample test on them (stats::Run).
//
// The input is split into a reference and a current file at its first "\n--\n" line, else at its middle
// byte. Both halves are parsed as they come and with --categorical; when both parse, every Test runs on
// the pair (and DefaultTestFor's choice). Checked beyond ASan/UBSan: a parsed sample is non-empty and
// either all finite numbers or all trimmed labels; Run refuses exactly the documented misuses (numeric
// test on categories, numeric vs categorical) and otherwise returns a p-value in [0, 1] for p-value
// tests, a non-negative distance for the others, and a drift flag that follows from them. A stream that
// `driftgate replay` accepts (detect::ParseNumberLines) is the same numeric sample for compare.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/detect/replay.h"
#include "core/stats/two_sample.h"

namespace {

using driftgate::stats::Sample;
using driftgate::stats::Test;

// What is being checked, for the report of a failed invariant.
std::string_view g_context = "parse";

#define FUZZ_CHECK(cond)                                                                             \
  do {                                                                                               \
    if (!(cond)) {                                                                                   \
      std::fprintf(stderr, "compare_fuzz: invariant failed in %.*s: %s (%s:%d)\n",                   \
                   static_cast<int>(g_context.size()), g_context.data(), #cond, __FILE__, __LINE__); \
      std::abort();                                                                                  \
    }                                                                                                \
  } while (0)

constexpr Test kAllTests[] = {
    Test::kKs, Test::kChi2, Test::kPsi, Test::kJensenShannon, Test::kWasserstein, Test::kWassersteinNormed,
    Test::kZ};

bool IsTrimmedLabel(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\v\f";
  return !s.empty() && kSpace.find(s.front()) == std::string_view::npos &&
         kSpace.find(s.back()) == std::string_view::npos && s.find('\n') == std::string_view::npos;
}

driftgate::Result<Sample> Parse(std::string_view text, bool force_categorical) {
  auto r = driftgate::stats::ParseSample(text, force_categorical);
  if (!r.ok()) {
    FUZZ_CHECK(r.error().code == driftgate::ErrorCode::kInvalidArgument);
    FUZZ_CHECK(!r.error().message.empty());
    return r;
  }
  const Sample& s = *r;
  FUZZ_CHECK(s.size() > 0);
  if (force_categorical) FUZZ_CHECK(s.categorical);
  if (s.categorical) {
    FUZZ_CHECK(s.numbers.empty());
    for (const auto& label : s.labels) FUZZ_CHECK(IsTrimmedLabel(label));
  } else {
    FUZZ_CHECK(s.labels.empty());
    for (double x : s.numbers) FUZZ_CHECK(std::isfinite(x));
  }
  return r;
}

// replay's parser accepting a stream means compare reads the same numbers from it.
void AgreesWithReplayParser(std::string_view text) {
  auto numbers = driftgate::detect::ParseNumberLines(text);
  if (!numbers.ok() || numbers->empty()) return;
  auto sample = driftgate::stats::ParseSample(text, false);
  FUZZ_CHECK(sample.ok() && !sample->categorical);
  FUZZ_CHECK(sample->numbers.size() == numbers->size());
  for (std::size_t i = 0; i < numbers->size(); ++i) {
    FUZZ_CHECK(std::bit_cast<std::uint64_t>(sample->numbers[i]) ==
               std::bit_cast<std::uint64_t>((*numbers)[i]));
  }
}

constexpr double kNoOverflow = 1e150;  // squares and sums of differences stay finite below this

double MaxMagnitude(const Sample& s) {
  double m = 0.0;
  for (double x : s.numbers) m = std::max(m, std::fabs(x));
  return m;
}

void RunTest(Test test, const Sample& reference, const Sample& current) {
  g_context = driftgate::stats::TestName(test);
  auto r = driftgate::stats::Run(test, reference, current);
  const bool numeric_only =
      test == Test::kKs || test == Test::kWasserstein || test == Test::kWassersteinNormed;
  const bool applicable =
      reference.categorical == current.categorical && !(reference.categorical && numeric_only);
  if (!r.ok()) {
    FUZZ_CHECK(!applicable);
    FUZZ_CHECK(r.error().code == driftgate::ErrorCode::kInvalidArgument);
    FUZZ_CHECK(!r.error().message.empty());
    return;
  }
  FUZZ_CHECK(applicable);
  FUZZ_CHECK(r->test == test);
  FUZZ_CHECK(r->threshold == driftgate::stats::DefaultThreshold(test));
  // Known limitation, not checked: wasserstein sums (x_{k+1} - x_k) and numpy.std squares deviations, so
  // values beyond ~1e154 overflow to inf and then NaN (inf - inf), as in scipy/numpy.
  const bool may_overflow = (test == Test::kWasserstein || test == Test::kWassersteinNormed) &&
                            (MaxMagnitude(reference) > kNoOverflow || MaxMagnitude(current) > kNoOverflow);
  if (may_overflow) return;
  FUZZ_CHECK(!std::isnan(r->statistic));
  FUZZ_CHECK(r->p_value.has_value() == driftgate::stats::IsPValue(test));
  if (r->p_value) {
    FUZZ_CHECK(*r->p_value >= 0.0 && *r->p_value <= 1.0);  // also false for NaN
    FUZZ_CHECK(r->drift == (*r->p_value < r->threshold));
  } else {
    FUZZ_CHECK(r->statistic >= 0.0);
    FUZZ_CHECK(r->drift == (r->statistic >= r->threshold));
  }
  if (test == Test::kKs) FUZZ_CHECK(r->statistic >= 0.0 && r->statistic <= 1.0);
  if (test == Test::kJensenShannon) FUZZ_CHECK(r->statistic <= 1.0 + 1e-12);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string_view reference_text, current_text;
  if (const auto sep = text.find("\n--\n"); sep != std::string_view::npos) {
    reference_text = text.substr(0, sep + 1);
    current_text = text.substr(sep + 4);
  } else {
    reference_text = text.substr(0, size / 2);
    current_text = text.substr(size / 2);
  }
  AgreesWithReplayParser(reference_text);
  for (const bool categorical : {false, true}) {
    auto reference = Parse(reference_text, categorical);
    auto current = Parse(current_text, categorical);
    if (!reference.ok() || !current.ok()) continue;
    for (const Test test : kAllTests) RunTest(test, *reference, *current);
    RunTest(driftgate::stats::DefaultTestFor(*reference), *reference, *current);
    g_context = "parse";
  }
  return 0;
}
