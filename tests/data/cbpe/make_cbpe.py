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
