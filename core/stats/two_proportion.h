// Two-proportion z-test with pooled variance, two-sided (Fleiss, Levin & Paik 2003, "Statistical Methods
// for Rates and Proportions", §2.5; Evidently's `z` stattest for binary features):
//   p1 = k1/n1, p2 = k2/n2, P = (k1 + k2)/(n1 + n2),
//   z = (p1 - p2) / sqrt(P(1 - P)(1/n1 + 1/n2)),   p = 2·Pr(N(0,1) >= |z|)   (Boost.Math normal).
// Evidently writes p = 2·(1 - Φ(|z|)); the survival form is the same number without the cancellation
// below p ≈ 1e-8. When both samples hold only one category (P ∈ {0, 1}) there is no variation to test:
// z = 0, p = 1 (Evidently returns p = 1 there too).
// Run(Test::kZ, ...) counts the reference's most frequent category (ties: the smallest label or value)
// against all others in both samples, so a category seen only in the current sample counts as "other"
// instead of making the test inapplicable (for two categories this is the usual test, symmetric in the
// choice).
#pragma once

namespace driftgate::stats {

struct ZResult {
  double statistic = 0.0;  // z, positive when the reference proportion is the larger
  double p_value = 1.0;
};

// 0 <= k <= n, n > 0.
ZResult TwoProportionZTest(double reference_successes, double reference_total, double current_successes,
                           double current_total);

}  // namespace driftgate::stats
