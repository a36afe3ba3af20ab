#include "core/detect/kswin.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/detect/snapshot_codec.h"
#include "core/stats/ks.h"

namespace driftgate::detect {
namespace {

constexpr double kTwoTo32 = 4294967296.0;
constexpr std::int64_t kMaxSeed = std::int64_t{1} << 53;  // seeds travel as doubles
// The peer's second drift condition: the statistic itself must exceed 0.1 (river/drift/kswin.py).
constexpr double kMinStatistic = 0.1;

// max over x of |#{a <= x} - #{b <= x}| for two sorted samples of equal size: n · D, as an integer.
std::int64_t KsCountDistance(const std::vector<double>& a, const std::vector<double>& b) {
  std::size_t i = 0;
  std::size_t j = 0;
  std::int64_t h = 0;
  while (i < a.size() && j < b.size()) {
    const double v = std::min(a[i], b[j]);
    while (i < a.size() && a[i] <= v) ++i;
    while (j < b.size() && b[j] <= v) ++j;
    h = std::max(h, std::abs(static_cast<std::int64_t>(i) - static_cast<std::int64_t>(j)));
  }
  return h;
}

}  // namespace

Result<Kswin::Params> Kswin::ParseParams(const ParamMap& values) {
  Params p;
  ParamReader reader(values, kName);
  reader.Number("alpha", p.alpha);
  reader.Integer("window_size", p.window_size);
  reader.Integer("stat_size", p.stat_size);
  reader.Integer("seed", p.seed);
  if (auto status = reader.Finish(); !status.ok()) return status.error();
  return p;
}

Result<std::unique_ptr<Kswin>> Kswin::Make(const Params& p) {
  if (!(p.alpha > 0.0 && p.alpha < 1.0)) return OutOfRange(kName, "alpha", "in (0, 1)", p.alpha);
  if (p.stat_size < 1 || p.stat_size > 10000) {
    return OutOfRange(kName, "stat_size", "in [1, 10000]", static_cast<double>(p.stat_size));
  }
  // River would fail inside random.sample when fewer than stat_size older values exist.
  if (p.window_size < 2 * p.stat_size || p.window_size > 1000000) {
    return OutOfRange(kName, "window_size",
                      "in [2 * stat_size, 1000000] = [" + std::to_string(2 * p.stat_size) + ", 1000000]",
                      static_cast<double>(p.window_size));
  }
  if (p.seed < 0 || p.seed >= kMaxSeed)
    return OutOfRange(kName, "seed", "in [0, 2^53)", static_cast<double>(p.seed));
  return std::unique_ptr<Kswin>(new Kswin(p));
}

Kswin::Kswin(const Params& params) : params_(params) {
  window_.assign(static_cast<std::size_t>(params.window_size), 0.0);
  const auto stat_size = static_cast<std::size_t>(params.stat_size);
  indices_.resize(static_cast<std::size_t>(params.window_size - params.stat_size));
  sample_.resize(stat_size);
  recent_.resize(stat_size);
  Reset();
}

void Kswin::Reset() {
  std::fill(window_.begin(), window_.end(), 0.0);
  start_ = 0;
  count_ = 0;
  rng_.state = static_cast<std::uint64_t>(params_.seed);  // River re-seeds its generator on reset
  drift_ = false;
  p_value_ = 1.0;
}

Signal Kswin::Update(double x) {
  if (!std::isfinite(x)) return Signal::kNone;
  if (drift_) Reset();
  const std::size_t size = window_.size();
  if (count_ < size) {
    window_[(start_ + count_) % size] = x;
    ++count_;
  } else {
    window_[start_] = x;
    start_ = (start_ + 1) % size;
  }
  if (count_ < size) return Signal::kNone;

  const std::size_t older = indices_.size();  // window_size - stat_size
  const std::size_t stat_size = sample_.size();
  const auto at = [&](std::size_t i) { return window_[(start_ + i) % size]; };
  DrawWithoutReplacement(rng_, older, stat_size, indices_);
  for (std::size_t i = 0; i < stat_size; ++i) {
    sample_[i] = at(indices_[i]);
    recent_[i] = at(older + i);
  }
  std::sort(sample_.begin(), sample_.end());
  std::sort(recent_.begin(), recent_.end());
  const std::int64_t h = KsCountDistance(sample_, recent_);
  p_value_ = stats::KsExactSfEqualSizes(params_.stat_size, h);
  const double statistic = static_cast<double>(h) / static_cast<double>(params_.stat_size);
  drift_ = p_value_ <= params_.alpha && statistic > kMinStatistic;
  return drift_ ? Signal::kDrift : Signal::kNone;
}

std::vector<double> Kswin::ParamVector() const {
  return {params_.alpha, static_cast<double>(params_.window_size), static_cast<double>(params_.stat_size),
          static_cast<double>(params_.seed)};
}

Snapshot Kswin::Save() const {
  Snapshot s;
  s.fields["params"] = ParamVector();
  std::vector<double>& window = s.fields["window"];  // oldest first
  for (std::size_t i = 0; i < count_; ++i) window.push_back(window_[(start_ + i) % window_.size()]);
  s.fields["rng"] = {static_cast<double>(rng_.state >> 32), static_cast<double>(rng_.state & 0xffffffffULL)};
  s.fields["state"] = {drift_ ? 1.0 : 0.0, p_value_};
  return s;
}

Status Kswin::Restore(const Snapshot& snapshot) {
  constexpr auto kAny = std::size_t(-1);
  if (auto status =
          CheckShape(snapshot, kName, ParamVector(), {"params", "window", "rng", "state"}, {4, kAny, 2, 2});
      !status.ok()) {
    return status;
  }
  const auto& window = snapshot.fields.at("window");
  const auto& rng = snapshot.fields.at("rng");
  const auto& state = snapshot.fields.at("state");
  if (window.size() > window_.size())
    return BadSnapshot(kName, "window", "holds more than window_size values");
  for (const double half : rng) {
    if (!IsCount(half) || half >= kTwoTo32) return BadSnapshot(kName, "rng", "holds an invalid 32-bit half");
  }
  if (!IsFlag(state[0]) || !(state[1] >= 0.0 && state[1] <= 1.0)) {
    return BadSnapshot(kName, "state", "holds an invalid flag or p-value");
  }
  std::fill(window_.begin(), window_.end(), 0.0);
  std::copy(window.begin(), window.end(), window_.begin());
  start_ = 0;
  count_ = window.size();
  rng_.state = (static_cast<std::uint64_t>(rng[0]) << 32) | static_cast<std::uint64_t>(rng[1]);
  drift_ = state[0] == 1.0;
  p_value_ = state[1];
  return Ok{};
}

}  // namespace driftgate::detect
