#!/usr/bin/python3
"""Reference values for tests/unit/kpi/cbpe_multiclass_test.cpp (core/kpi/cbpe_multiclass.h), computed
independently of the C++ with scikit-learn and numpy.

Run: /usr/bin/python3 tests/data/cbpe/make_multiclass.py   (Debian's python3-sklearn 1.2.1, numpy 1.24.2).
Writes multiclass.json next to this script: the labelled reference (scores per class, true class), an
unlabelled window under covariate shift (scores, predicted class) and the expected estimates.

Stream: three string classes; x ~ N(0, I_2) on the reference and N((0.8, -0.5), I_2) in the window; the
concept P(y | x) = softmax(W x) is the same on both; the model's scores are the miscalibrated
softmax(1.6 W x + b) and it predicts their argmax.

1. One-vs-rest calibration: sklearn.isotonic.IsotonicRegression(out_of_bounds="clip") of [y = k] on the
   score of k, per class; calibrated values normalized to sum 1 per row.
2. Expected confusion matrix E[C(t, j)] = sum_i p_it [yhat_i = j]; accuracy = trace / n; per class
   precision = C_kk / column sum, recall = C_kk / row sum, F1 = 2 C_kk / (row + column sum); macro and
   support-weighted (row sums) F1 — sklearn's definitions on the expected matrix.
3. Standard errors, another way than core/kpi/cbpe_multiclass.cpp: every metric as a function of the
   confusion matrix C, differentiated numerically (central differences); a row's true class is a
   categorical draw, so its variance contribution is Var(sum_t g(t, yhat_i) Z_it) = sum_t g^2 p_t -
   (sum_t g p_t)^2. The calibration term perturbs each isotonic block value m_b (Var m_b (1 - m_b) / W_b)
   numerically through numpy.interp on the fitted thresholds, re-normalization and the metric.
"""
import json
import os

import numpy as np
from sklearn.isotonic import IsotonicRegression

rng = np.random.default_rng(20261207)
CLASSES = ["cat", "dog", "emu"]
W = np.array([[2.0, 0.0], [-1.0, 1.5], [-1.0, -1.5]])
B = np.array([0.3, 0.0, -0.3])


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def draw(n, mean):
    x = rng.normal(size=(n, 2)) + np.array(mean)
    truth = softmax(x @ W.T)
    scores = softmax(1.6 * (x @ W.T) + B)
    y = np.array([rng.choice(3, p=p) for p in truth])
    return scores, y


ref_scores, ref_y = draw(2000, [0.0, 0.0])
win_scores, win_y = draw(800, [0.8, -0.5])
win_pred = win_scores.argmax(axis=1)
K = 3
fits = [IsotonicRegression(out_of_bounds="clip").fit(ref_scores[:, k], (ref_y == k).astype(float)) for k in range(K)]

# Blocks of each fit: reference points sharing one fitted value.
blocks = []
for k in range(K):
    fitted = fits[k].predict(ref_scores[:, k])
    values = np.array(sorted(set(fitted)))
    weights = np.array([np.sum(fitted == v) for v in values], dtype=float)
    of_threshold = np.array([int(np.argmin(np.abs(values - y))) for y in fits[k].y_thresholds_])
    blocks.append((values, weights, of_threshold))


def calibrated(block_values=None):
    raw = np.empty_like(win_scores)
    for k in range(K):
        if block_values is None:
            raw[:, k] = fits[k].predict(win_scores[:, k])
        else:
            ys = block_values[k][blocks[k][2]]
            raw[:, k] = np.interp(win_scores[:, k], fits[k].X_thresholds_, ys)
    return raw / raw.sum(axis=1, keepdims=True)


def confusion(p):
    c = np.zeros((K, K))
    for j in range(K):
        c[:, j] = p[win_pred == j].sum(axis=0)
    return c


def metrics(c):
    n = c.sum()
    rows, cols, diag = c.sum(axis=1), c.sum(axis=0), np.diag(c)
    f1 = 2 * diag / (rows + cols)
    out = {"accuracy": diag.sum() / n, "macro_f1": f1.mean(), "weighted_f1": (rows * f1).sum() / n}
    for k in range(K):
        out[f"precision_{k}"] = diag[k] / cols[k]
        out[f"recall_{k}"] = diag[k] / rows[k]
    return out


p = calibrated()
C = confusion(p)
values = metrics(C)


def label_variance(name):
    h = 1e-4
    grad = np.zeros((K, K))
    for t in range(K):
        for j in range(K):
            up, down = C.copy(), C.copy()
            up[t, j] += h
            down[t, j] -= h
            grad[t, j] = (metrics(up)[name] - metrics(down)[name]) / (2 * h)
    var = 0.0
    for i in range(len(win_pred)):
        g = grad[:, win_pred[i]]
        var += np.sum(g * g * p[i]) - np.sum(g * p[i]) ** 2
    return var


def calibration_variance(name):
    h = 1e-6
    var = 0.0
    base = [b[0].copy() for b in blocks]
    for k in range(K):
        for b in range(len(base[k])):
            up = [v.copy() for v in base]
            down = [v.copy() for v in base]
            up[k][b] += h
            down[k][b] -= h
            d = (metrics(confusion(calibrated(up)))[name] - metrics(confusion(calibrated(down)))[name]) / (2 * h)
            m, w = base[k][b], blocks[k][1][b]
            var += d * d * m * (1 - m) / w
    return var


expected = {}
for name, value in values.items():
    lv = label_variance(name)
    cv = calibration_variance(name)
    expected[name] = {"value": float(value), "se_label": float(np.sqrt(lv)), "se_total": float(np.sqrt(lv + cv))}

out = {
    "classes": CLASSES,
    "reference": {"scores": ref_scores.tolist(), "labels": ref_y.tolist()},
    "window": {"scores": win_scores.tolist(), "predicted": win_pred.tolist(), "realized_accuracy":
               float(np.mean(win_pred == win_y))},
    "probe": {"scores": win_scores[:5].tolist(), "calibrated": p[:5].tolist()},
    "expected": expected,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "multiclass.json")
with open(path, "w") as f:
    json.dump(out, f)
    f.write("\n")
for name, e in expected.items():
    print(name, e)
print("realized accuracy", out["window"]["realized_accuracy"])
