// Adwin's fast paths (flat rows with moving heads, the division-free bound that rules cuts out before
// River's exact test) against a plain transliteration of the algorithm kept here: one vector per row,
// every division as River writes it, every cut tested with the exact bound. Signals, width, mean and the
// whole snapshot must agree bit for bit after every update, on streams that drift often, on real values
// with large offsets and extreme magnitudes, and across parameter corners. Near-ties between a cut's mean
// difference and the bound are rare in streams, so the bound is also checked directly on cuts placed
// within a few ulps to 1e-5 of the threshold.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/detect/adwin.h"
#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

using testing::StreamRng;

// The straightforward ADWIN (River's newest adwin_c.pyx semantics, as documented in adwin.h).
class PlainAdwin {
 public:
  explicit PlainAdwin(const Adwin::Params& p) : p_(p), min_len_(static_cast<double>(p.min_window_length)) {
    Reset();
  }

  Signal Update(double x) {
    if (!std::isfinite(x)) return Signal::kNone;
    if (drift_) Reset();
    Insert(x);
    drift_ = DetectChange();
    return drift_ ? Signal::kDrift : Signal::kNone;
  }

  double Width() const { return width_; }
  double Estimation() const { return width_ > 0 ? total_ / width_ : 0.0; }

  Snapshot Save() const {
    Snapshot s;
    s.fields["params"] = {p_.delta, static_cast<double>(p_.clock), static_cast<double>(p_.max_buckets),
                          static_cast<double>(p_.min_window_length), static_cast<double>(p_.grace_period)};
    s.fields["state"] = {width_, total_, variance_, static_cast<double>(tick_), drift_ ? 1.0 : 0.0};
    auto& counts = s.fields["row_counts"];
    auto& totals = s.fields["totals"];
    auto& variances = s.fields["variances"];
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      counts.push_back(static_cast<double>(rows_[r].totals.size()));
      totals.insert(totals.end(), rows_[r].totals.begin(), rows_[r].totals.end());
      variances.insert(variances.end(), rows_[r].variances.begin(), rows_[r].variances.end());
    }
    return s;
  }

 private:
  struct Row {
    std::vector<double> totals;
    std::vector<double> variances;
  };

  void Reset() {
    rows_.assign(1, Row{});
    width_ = total_ = variance_ = 0.0;
    tick_ = 0;
    drift_ = false;
  }

  void Insert(double x) {
    rows_[0].totals.push_back(x);
    rows_[0].variances.push_back(0.0);
    width_ += 1.0;
    double incremental_variance = 0.0;
    if (width_ > 1.0) {
      const double deviation = x - total_ / (width_ - 1.0);
      incremental_variance = (width_ - 1.0) * deviation * deviation / width_;
    }
    variance_ += incremental_variance;
    total_ += x;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      if (rows_[r].totals.size() != static_cast<std::size_t>(p_.max_buckets) + 1) break;
      if (r + 1 == rows_.size()) rows_.emplace_back();
      auto& t = rows_[r].totals;
      auto& v = rows_[r].variances;
      const double n = std::ldexp(1.0, static_cast<int>(r));
      const double mu1 = t[0] / n;
      const double mu2 = t[1] / n;
      rows_[r + 1].totals.push_back(t[0] + t[1]);
      rows_[r + 1].variances.push_back(v[0] + v[1] + n * 0.5 * (mu1 - mu2) * (mu1 - mu2));
      t.erase(t.begin(), t.begin() + 2);
      v.erase(v.begin(), v.begin() + 2);
    }
  }

  void DeleteOldestBucket() {
    const std::size_t last = rows_.size() - 1;
    auto& t = rows_[last].totals;
    auto& v = rows_[last].variances;
    const double n = std::ldexp(1.0, static_cast<int>(last));
    const double u = t[0];
    const double mu = u / n;
    width_ -= n;
    total_ -= u;
    const double mu_window = total_ / width_;
    variance_ -= v[0] + n * width_ * (mu - mu_window) * (mu - mu_window) / (n + width_);
    t.erase(t.begin());
    v.erase(v.begin());
    if (t.empty() && last > 0) rows_.pop_back();
  }

  bool DetectChange() {
    ++tick_;
    if (tick_ % static_cast<std::uint64_t>(p_.clock) != 0 ||
        !(width_ > static_cast<double>(p_.grace_period))) {
      return false;
    }
    bool change = false;
    bool reduce = true;
    while (reduce) {
      reduce = false;
      double n0 = 0.0;
      double n1 = width_;
      double u0 = 0.0;
      double u1 = total_;
      bool done = false;
      for (std::size_t r = rows_.size(); r-- > 0 && !done;) {
        const double size = std::ldexp(1.0, static_cast<int>(r));
        const auto& t = rows_[r].totals;
        for (std::size_t k = 0; k < t.size(); ++k) {
          n0 += size;
          n1 -= size;
          u0 += t[k];
          u1 -= t[k];
          if (r == 0 && k == t.size() - 1) {
            done = true;
            break;
          }
          if (n1 >= min_len_ && n0 >= min_len_) {
            const double delta_prime = std::log(2.0 * std::log(width_) / p_.delta);
            const double variance_in_window = variance_ / width_;
            const double delta_mean = (u0 / n0) - (u1 / n1);
            const double m_recip = (1.0 / (n0 - min_len_ + 1.0)) + (1.0 / (n1 - min_len_ + 1.0));
            const double epsilon = std::sqrt(2.0 * m_recip * variance_in_window * delta_prime) +
                                   2.0 / 3.0 * delta_prime * m_recip;
            if (std::fabs(delta_mean) > epsilon) {
              reduce = true;
              change = true;
              DeleteOldestBucket();
              done = true;
              break;
            }
          }
        }
      }
    }
    return change;
  }

  Adwin::Params p_;
  double min_len_;
  std::vector<Row> rows_;
  double width_ = 0.0;
  double total_ = 0.0;
  double variance_ = 0.0;
  std::uint64_t tick_ = 0;
  bool drift_ = false;
};

bool SameBits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Empty when equal; otherwise names the first differing field.
std::string SnapshotDifference(const Snapshot& a, const Snapshot& b) {
  if (a.fields.size() != b.fields.size()) return "field count";
  for (const auto& [name, values] : a.fields) {
    const auto it = b.fields.find(name);
    if (it == b.fields.end() || it->second.size() != values.size()) return name + " (length)";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!SameBits(values[i], it->second[i])) return name + "[" + std::to_string(i) + "]";
    }
  }
  return "";
}

// Segments of random length, each with its own level and spread: drifts of every size.
std::vector<double> RegimeStream(StreamRng& rng, std::size_t n, double offset, double scale, bool binary) {
  std::vector<double> stream;
  stream.reserve(n);
  while (stream.size() < n) {
    const std::size_t length = 1 + rng.Next() % 3000;
    const double level = rng.Uniform();
    const double spread = 0.1 + 2.0 * rng.Uniform();
    for (std::size_t i = 0; i < length && stream.size() < n; ++i) {
      if (binary) {
        stream.push_back(rng.Uniform() < level ? 1.0 : 0.0);
      } else {
        stream.push_back(offset + scale * (level + spread * rng.Gaussian(0.0, 1.0)));
      }
    }
  }
  return stream;
}

// Adds the number of drifts to *drifts (so callers can check the deletion path ran).
void ExpectSameAsPlain(const Adwin::Params& params, const std::vector<double>& stream,
                       const std::string& label, std::size_t* drifts) {
  auto made = Adwin::Make(params);
  ASSERT_TRUE(made.ok()) << label;
  Adwin& fast = *made.value();
  PlainAdwin plain(params);
  for (std::size_t i = 0; i < stream.size(); ++i) {
    const Signal got = fast.Update(stream[i]);
    const Signal want = plain.Update(stream[i]);
    ASSERT_EQ(got, want) << label << " at " << i;
    ASSERT_TRUE(SameBits(fast.Width(), plain.Width())) << label << " at " << i;
    ASSERT_TRUE(SameBits(fast.Estimation(), plain.Estimation())) << label << " at " << i;
    ASSERT_EQ(fast.ElementsSinceChange(), static_cast<std::size_t>(plain.Width())) << label << " at " << i;
    if (got == Signal::kDrift) ++*drifts;
    if (got == Signal::kDrift || i % 251 == 0 || i + 1 == stream.size()) {
      ASSERT_EQ(SnapshotDifference(fast.Save(), plain.Save()), "") << label << " at " << i;
    }
  }
}

TEST(AdwinEquivalence, MatchesPlainAlgorithmAcrossParametersAndStreams) {
  const std::vector<Adwin::Params> params = {
      {},
      {.clock = 1},
      {.delta = 0.3, .clock = 1, .max_buckets = 2, .min_window_length = 1, .grace_period = 0},
      {.delta = 1e-9, .clock = 7, .max_buckets = 3, .min_window_length = 30, .grace_period = 100},
      {.delta = 0.9, .clock = 4, .max_buckets = 17, .min_window_length = 2, .grace_period = 0},
      {.delta = 0.05, .clock = 2, .max_buckets = 200, .min_window_length = 5, .grace_period = 10},
  };
  struct StreamCase {
    const char* name;
    double offset;
    double scale;
    bool binary;
  };
  const std::vector<StreamCase> streams = {
      {"binary", 0.0, 1.0, true},          {"gaussian", 0.0, 1.0, false},
      {"offset_1e9", 1e9, 1.0, false},      // means far from zero: the bound's cancellation slack matters
      {"tiny_1e-300", 0.0, 1e-300, false},  // products of subnormals
      {"huge_1e150", 0.0, 1e150, false},    // variances past the bound's range
  };
  StreamRng rng(20240611);
  std::size_t drifts = 0;
  for (std::size_t p = 0; p < params.size(); ++p) {
    for (const StreamCase& s : streams) {
      const std::string label = "params#" + std::to_string(p) + "/" + s.name;
      ExpectSameAsPlain(params[p], RegimeStream(rng, 12000, s.offset, s.scale, s.binary), label, &drifts);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  EXPECT_GE(drifts, 300U);  // the streams must exercise the cut-and-restart path, not only the bound
}

TEST(AdwinEquivalence, MatchesPlainAlgorithmOnSmallIntegersAndConstants) {
  // Exact sums: ties between |mean difference| and the bound are possible, and zero variance.
  StreamRng rng(7);
  std::vector<double> ints;
  for (int i = 0; i < 20000; ++i) ints.push_back(static_cast<double>(rng.Next() % (i < 10000 ? 3 : 5)));
  std::size_t drifts = 0;
  ExpectSameAsPlain({.clock = 1}, ints, "small_ints", &drifts);
  ExpectSameAsPlain({.clock = 1, .max_buckets = 2, .min_window_length = 1, .grace_period = 0},
                    std::vector<double>(5000, 3.0), "constant", &drifts);
  std::vector<double> steps;
  for (int i = 0; i < 6000; ++i) steps.push_back(i < 3000 ? -7.5 : 1e6);
  ExpectSameAsPlain({.clock = 3}, steps, "step", &drifts);
  EXPECT_GE(drifts, 2U);
}

TEST(AdwinEquivalence, MatchesPlainAlgorithmOnLongStationaryWindow) {
  // The window grows through 17 rows; every cut of every check goes through the fast bound.
  StreamRng rng(99);
  std::vector<double> stream;
  for (int i = 0; i < 300000; ++i) stream.push_back(std::fabs(rng.Gaussian(0.0, 1.0)));
  std::size_t drifts = 0;
  ExpectSameAsPlain({}, stream, "long_half_normal", &drifts);
}

// A random cut whose |u0/n0 - u1/n1| sits at eps * (1 + r), r from -1e-5 to 1e-5 down to 1e-17 or 0, nudged
// by a few ulps, over widths up to 2^51, variances from subnormal to 1e100 and means up to 1e200.
struct NearCut {
  double width, n0, n1, u0, u1, min_len, variance, delta_prime;
};

NearCut RandomNearCut(StreamRng& rng) {
  NearCut c{};
  for (;;) {
    c.width = std::floor(std::exp2(1.0 + 50.0 * rng.Uniform()));
    c.min_len = rng.Uniform() < 0.5 ? 1.0 : std::floor(1.0 + rng.Uniform() * std::min(100.0, c.width / 2.0));
    if (c.width >= 2.0 * c.min_len) break;
  }
  c.n0 = rng.Uniform() < 0.3 ? c.min_len + static_cast<double>(rng.Next() % 3)
                             : std::floor(c.min_len + rng.Uniform() * (c.width - 2.0 * c.min_len + 1.0));
  c.n0 = std::min(c.n0, c.width - c.min_len);
  c.n1 = c.width - c.n0;
  const double deltas[] = {0.002, 1e-9, 0.1, 0.5, 0.99};
  c.delta_prime = std::log(2.0 * std::log(c.width) / deltas[rng.Next() % 5]);
  const double pick = rng.Uniform();
  c.variance = pick < 0.1 ? 0.0
                          : std::pow(10.0, pick < 0.15 ? -320.0 + 40.0 * rng.Uniform()
                                                       : -300.0 + 400.0 * rng.Uniform());
  const double m = (1.0 / (c.n0 - c.min_len + 1.0)) + (1.0 / (c.n1 - c.min_len + 1.0));
  const double eps = std::sqrt(2.0 * m * c.variance * c.delta_prime) + 2.0 / 3.0 * c.delta_prime * m;
  const double r = rng.Uniform() < 0.1
                       ? 0.0
                       : (rng.Uniform() < 0.5 ? -1 : 1) * std::pow(10.0, -17.0 + 12.0 * rng.Uniform());
  const double dm = eps * (1.0 + r) * (rng.Uniform() < 0.5 ? -1.0 : 1.0);
  const double mean = rng.Uniform() < 0.5
                          ? 0.0
                          : (rng.Uniform() < 0.5 ? -1 : 1) * std::pow(10.0, -300.0 + 500.0 * rng.Uniform());
  c.u0 = (mean + dm / 2.0) * c.n0;
  c.u1 = (mean - dm / 2.0) * c.n1;
  for (std::uint64_t k = rng.Next() % 5; k > 0; --k) {
    const double toward = rng.Uniform() < 0.5 ? -std::numeric_limits<double>::infinity()
                                              : std::numeric_limits<double>::infinity();
    c.u0 = std::nextafter(c.u0, toward);
    c.u1 = std::nextafter(c.u1, -toward);
  }
  return c;
}

TEST(AdwinCutBound, NeverRulesOutASignificantCut) {
  StreamRng rng(31337);
  std::size_t significant = 0;
  std::size_t ruled_out = 0;
  for (int i = 0; i < 1000000; ++i) {
    const NearCut c = RandomNearCut(rng);
    if (!std::isfinite(c.u0) || !std::isfinite(c.u1)) continue;
    const bool cut =
        adwin_detail::SignificantCut(c.n0, c.n1, c.u0, c.u1, c.min_len, c.variance, c.delta_prime);
    const bool out =
        adwin_detail::CutBound(c.width, c.delta_prime, c.variance).RulesOut(c.n0, c.n1, c.u0, c.u1);
    significant += cut ? 1 : 0;
    ruled_out += out ? 1 : 0;
    ASSERT_FALSE(cut && out) << "width " << c.width << " n0 " << c.n0 << " L " << c.min_len << " v "
                             << c.variance << " dp " << c.delta_prime << " u0 " << c.u0 << " u1 " << c.u1;
  }
  // Both sides of the threshold were sampled, and the bound did decide a good share on its own.
  EXPECT_GT(significant, 300000U);
  EXPECT_GT(ruled_out, 50000U);
}

TEST(AdwinCutBound, RulesOutClearlyInsignificantCuts) {
  // With L = 1 the bound is tight up to its 2^-32 margin: a mean difference 1e-6 below eps is always ruled
  // out, so the exact test runs only near the threshold (or outside the bound's range).
  StreamRng rng(5);
  for (int i = 0; i < 100000; ++i) {
    const double width = std::floor(std::exp2(1.0 + 40.0 * rng.Uniform()));
    const double n0 = std::clamp(std::floor(1.0 + rng.Uniform() * (width - 1.0)), 1.0, width - 1.0);
    const double n1 = width - n0;
    const double delta_prime = std::log(2.0 * std::log(width) / 0.002);
    const double variance = rng.Uniform() < 0.2 ? 0.0 : std::pow(10.0, -6.0 + 8.0 * rng.Uniform());
    const double m = 1.0 / n0 + 1.0 / n1;
    const double eps = std::sqrt(2.0 * m * variance * delta_prime) + 2.0 / 3.0 * delta_prime * m;
    const double dm =
        eps * (1.0 - std::pow(10.0, -6.0 + 5.0 * rng.Uniform())) * (rng.Uniform() < 0.5 ? -1 : 1);
    const double u0 = dm / 2.0 * n0;
    const double u1 = -dm / 2.0 * n1;
    ASSERT_TRUE(adwin_detail::CutBound(width, delta_prime, variance).RulesOut(n0, n1, u0, u1))
        << "width " << width << " n0 " << n0 << " v " << variance;
  }
}

TEST(AdwinCutBound, RulesOutNothingOutsideItsRange) {
  const double inf = std::numeric_limits<double>::infinity();
  // Negative variance (rounding after deletions), widths past 2^52, non-finite values: the exact test
  // decides.
  EXPECT_FALSE(adwin_detail::CutBound(100.0, 7.0, -1e-18).RulesOut(50.0, 50.0, 0.0, 0.0));
  EXPECT_FALSE(adwin_detail::CutBound(0x1p53, 7.0, 1.0).RulesOut(0x1p52, 0x1p52, 0.0, 0.0));
  EXPECT_FALSE(adwin_detail::CutBound(100.0, 7.0, inf).RulesOut(50.0, 50.0, 0.0, 0.0));
  EXPECT_FALSE(adwin_detail::CutBound(100.0, 7.0, 1.0).RulesOut(50.0, 50.0, inf, 0.0));
  EXPECT_FALSE(adwin_detail::CutBound(100.0, 7.0, 1.0).RulesOut(50.0, 50.0, 1e300, -1e300));
  // In range, an identical split is ruled out.
  EXPECT_TRUE(adwin_detail::CutBound(100.0, 7.0, 1.0).RulesOut(50.0, 50.0, 25.0, 25.0));
}

}  // namespace
}  // namespace driftgate::detect
