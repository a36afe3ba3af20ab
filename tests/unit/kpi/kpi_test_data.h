// Deterministic data sets shared by the kpi tests, generated exactly as in tests/data/kpi/reference.py (the
// script that produced every reference value): same LCG, same integer arithmetic, same double divisions.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/kpi/metrics.h"

namespace driftgate::kpi::testdata {

// x <- (1103515245 x + 12345) mod 2^31; Next() returns bits 16..30.
class Lcg {
 public:
  explicit Lcg(std::int64_t seed) : x_(seed) {}
  std::int64_t Next() {
    x_ = (x_ * 1103515245 + 12345) % (std::int64_t{1} << 31);
    return x_ >> 16;
  }

 private:
  std::int64_t x_;
};

inline Pair Classified(std::string predicted, std::string actual,
                       std::optional<double> score = std::nullopt) {
  Pair pair;
  pair.predicted = std::move(predicted);
  pair.actual = std::move(actual);
  pair.score = score;
  return pair;
}

inline Pair Regressed(double predicted_value, double actual_value) {
  Pair pair;
  pair.predicted_value = predicted_value;
  pair.actual_value = actual_value;
  return pair;
}

// reference.py binary_pairs(): 120 pairs, scores k/20 (ties, exact 0 and 1), a sixth unscored.
inline std::vector<Pair> BinaryPairs() {
  Lcg rng(7);
  std::vector<Pair> pairs;
  for (int i = 0; i < 120; ++i) {
    const std::int64_t s = rng.Next() % 21;
    const bool actual = rng.Next() % 100 < 15 + 3 * s;
    bool predicted = s >= 10;
    if (rng.Next() % 8 == 0) predicted = !predicted;
    const bool scored = rng.Next() % 6 != 0;
    pairs.push_back(Classified(predicted ? "1" : "0", actual ? "1" : "0",
                               scored ? std::optional<double>(static_cast<double>(s) / 20) : std::nullopt));
  }
  return pairs;
}

// reference.py multiclass_pairs(): actual a/b/c, "d" only predicted, "e" actual once, "f" once and right.
inline std::vector<Pair> MulticlassPairs() {
  Lcg rng(11);
  const std::string classes = "abc";
  std::vector<Pair> pairs;
  for (int i = 0; i < 90; ++i) {
    const std::int64_t a = rng.Next() % 3;
    const std::int64_t k = rng.Next() % 10;
    std::string predicted;
    if (k < 6) {
      predicted = classes.substr(a, 1);
    } else if (k < 8) {
      predicted = classes.substr((a + 1) % 3, 1);
    } else if (k == 8) {
      predicted = "d";
    } else {
      predicted = classes.substr((a + 2) % 3, 1);
    }
    pairs.push_back(Classified(predicted, classes.substr(a, 1)));
  }
  pairs[17] = Classified("a", "e");
  pairs[42] = Classified("f", "f");
  return pairs;
}

// reference.py regression_pairs(): 50 pairs, actuals in [-10, 10], pair 5 = (0.25, actual 0).
inline std::vector<Pair> RegressionPairs() {
  Lcg rng(3);
  std::vector<Pair> pairs;
  for (int i = 0; i < 50; ++i) {
    const double actual = static_cast<double>(rng.Next() % 2001 - 1000) / 100;
    const double predicted = actual + static_cast<double>(rng.Next() % 401 - 200) / 100;
    pairs.push_back(Regressed(predicted, actual));
  }
  pairs[5] = Regressed(0.25, 0.0);
  return pairs;
}

// reference.py positive_regression_pairs(): 40 pairs, actuals in [5, 15).
inline std::vector<Pair> PositiveRegressionPairs() {
  Lcg rng(5);
  std::vector<Pair> pairs;
  for (int i = 0; i < 40; ++i) {
    const double actual = 5 + static_cast<double>(rng.Next() % 1000) / 100;
    const double predicted = actual * (1 + static_cast<double>(rng.Next() % 41 - 20) / 200);
    pairs.push_back(Regressed(predicted, actual));
  }
  return pairs;
}

// Reference values are printed by Python with 17 significant digits; agreement to 1e-9 relative (absolute
// below 1) leaves room only for summation order.
inline void ExpectClose(double actual, double expected) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::max(1.0, std::abs(expected)));
}

struct Expected {
  double value;
  double lower;
  double upper;
};

inline void ExpectEstimate(const std::optional<Estimate>& estimate, const Expected& expected) {
  ASSERT_TRUE(estimate.has_value());
  ExpectClose(estimate->value, expected.value);
  ExpectClose(estimate->lower, expected.lower);
  ExpectClose(estimate->upper, expected.upper);
}

}  // namespace driftgate::kpi::testdata
