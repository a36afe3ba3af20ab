#!/usr/bin/python3
"""Reference values for tests/unit/kpi/cbpe_test.cpp, computed independently with scikit-learn.

Run: /usr/bin/python3 tests/data/cbpe/make_cbpe.py   (Debian's python3-sklearn 1.2.1, numpy 1.24.2)

The stream (same generator as the test, splitmix64 -> uniform doubles): covariate shift, unchanged
concept. x ~ U(0,1) on the reference; the true concept P(y=1|x) = x never changes; the model's score
is the fixed, miscalibrated s(x) = 0.3 + 0.4 x^2 and its prediction is s >= 0.4 (x >= 0.5). Later
windows draw x = 0.5 + (u - 0.5) w, concentrating x near the boundary as w shrinks, so the accuracy
falls from 0.75 towards 0.5 while P(y|x) stays fixed: what CBPE (NannyML) is built to see without labels.
"""
import numpy as np
from sklearn.isotonic import IsotonicRegression

M = (1 << 64) - 1


class SplitMix:
    def __init__(self, seed):
        self.s = seed & M

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) * (1.0 / 9007199254740992.0)


# 1. isotonic regression on a small set with ties
xs = [0.1, 0.2, 0.2, 0.3, 0.4, 0.5, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9]
ys = [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1]
q = [0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.45, 0.55, 0.65, 0.75, 0.85, 0.9, 1.0]
ir = IsotonicRegression(out_of_bounds="clip").fit(xs, ys)
print("small:", repr(list(ir.predict(q))))

# 2. the covariate-shift stream
rng = SplitMix(20261123)
ref_s, ref_y = [], []
for _ in range(5000):
    x = rng.uniform()
    y = 1 if rng.uniform() < x else 0
    ref_s.append(0.3 + 0.4 * x * x)
    ref_y.append(y)
ir = IsotonicRegression(out_of_bounds="clip").fit(ref_s, ref_y)
print("ref predict:", repr(list(ir.predict([0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7]))))
for w in [1.0, 0.7, 0.4, 0.2]:
    s, y = [], []
    for _ in range(2000):
        x = 0.5 + (rng.uniform() - 0.5) * w
        y.append(1 if rng.uniform() < x else 0)
        s.append(0.3 + 0.4 * x * x)
    s, y = np.array(s), np.array(y)
    yhat = (s >= 0.4).astype(int)
    p = ir.predict(s)
    expected = np.mean(np.where(yhat == 1, p, 1 - p))
    realized = np.mean(yhat == y)
    print(f"w={w}: expected_accuracy={expected!r} realized_accuracy={realized!r}")

# 3. The interval widths of tests/unit/kpi/cbpe_test.cpp, computed another way than core/kpi/cbpe.cpp:
# the KPI as a function of the isotonic block values (each block of reference points sharing one fitted
# value, m_b with W_b points, Var m_b = m_b (1 - m_b) / W_b) and of the expected counts (A = TP, B = FN,
# Var = sum p (1 - p) over the predicted positives / negatives), differentiated numerically (central
# differences; the KPIs are smooth) instead of by the closed-form gradients; p_i by numpy.interp on the
# fitted thresholds with the block values substituted. Width = 2 z sqrt(Var) (no clipping at these values).
from scipy.stats import norm

fitted_ref = ir.predict(ref_s)
block_values = sorted(set(fitted_ref))
block_weight = np.array([np.sum(fitted_ref == m) for m in block_values], dtype=float)
block_values = np.array(block_values)
X, Y = ir.X_thresholds_, ir.y_thresholds_
block_of_threshold = np.array([int(np.argmin(np.abs(block_values - y))) for y in Y])


def kpi(metric, a, b, npos):
    if metric == "accuracy":
        return (a + (n_total - npos - b)) / n_total
    return a / (a + b)  # recall


def kpi_of_blocks(metric, values, s, yhat):
    p = np.interp(s, X, values[block_of_threshold])
    return kpi(metric, np.sum(p[yhat == 1]), np.sum(p[yhat == 0]), np.sum(yhat))


z = norm.ppf(0.975)
rng = SplitMix(20261123)
for _ in range(5000):
    rng.uniform()
    rng.uniform()
for w in [1.0, 0.7, 0.4, 0.2]:
    s = []
    for _ in range(2000):
        x = 0.5 + (rng.uniform() - 0.5) * w
        rng.uniform()
        s.append(0.3 + 0.4 * x * x)
    s = np.array(s)
    yhat = (s >= 0.4).astype(int)
    p = ir.predict(s)
    n_total = len(s)
    a, b, npos = np.sum(p[yhat == 1]), np.sum(p[yhat == 0]), np.sum(yhat)
    var_a, var_b = np.sum((p * (1 - p))[yhat == 1]), np.sum((p * (1 - p))[yhat == 0])
    for metric in ["accuracy", "recall"]:
        h = 1e-3
        ga = (kpi(metric, a + h, b, npos) - kpi(metric, a - h, b, npos)) / (2 * h)
        gb = (kpi(metric, a, b + h, npos) - kpi(metric, a, b - h, npos)) / (2 * h)
        bare = ga * ga * var_a + gb * gb * var_b
        cal = 0.0
        for k in range(len(block_values)):
            up, down = block_values.copy(), block_values.copy()
            up[k] += 1e-6
            down[k] -= 1e-6
            g = (kpi_of_blocks(metric, up, s, yhat) - kpi_of_blocks(metric, down, s, yhat)) / 2e-6
            cal += g * g * block_values[k] * (1 - block_values[k]) / block_weight[k]
        print(f"w={w} {metric}: bare_width={2 * z * np.sqrt(bare)!r} width={2 * z * np.sqrt(bare + cal)!r}")
