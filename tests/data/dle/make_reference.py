#!/usr/bin/python3
"""Reference values for core/dle (tests/unit/dle/dle_test.cpp), computed independently of driftgate.

The boosters are trained by the xgboost Python package (Debian python3-xgboost 1.7.4) with the parameters
core/dle/booster.h documents; the holdout split, the calibration and the estimate are computed here with
numpy from the holdout and window predictions of those Python-trained boosters. The C++ fit must give the
same predictions (same XGBoost library, so bit for bit) and the same calibration and estimate (1e-9).

Run: /usr/bin/python3 tests/data/dle/make_reference.py  (writes dle_data.csv and dle_reference.json here)
"""
import json
import os

import numpy as np
import xgboost as xgb
from scipy.stats import norm

HERE = os.path.dirname(os.path.abspath(__file__))
REF_ROWS, WINDOW_ROWS, HOLDOUT_EVERY, CONFIDENCE = 1000, 300, 4, 0.95
PARAMS = {"objective": "reg:squarederror", "tree_method": "hist", "nthread": 1, "seed": 0, "verbosity": 0,
          "max_depth": 4, "eta": 0.1, "min_child_weight": 5.0, "lambda": 1.0}
ROUNDS = 100


def make_rows(rng, n, shift):
    x = rng.normal(0.0, 1.0, size=(n, 4))
    x[:, 0] += shift
    truth = 2.0 * x[:, 0] - x[:, 1] + 0.5 * x[:, 2] * x[:, 3]
    prediction = 2.0 * x[:, 0] - x[:, 1]  # the model misses the interaction and x0's noise
    noise = rng.normal(0.0, 1.0, size=n) * (0.3 + 0.4 * np.maximum(x[:, 0], 0.0))
    label = truth + noise
    cols = np.column_stack([x, prediction]).astype(np.float32)  # features x0..x3, then the prediction
    return cols, label - prediction


def train(x, target):
    # Sequential double sum of the float targets, as the C++ std::accumulate does.
    total = 0.0
    for v in target:
        total += float(v)
    params = dict(PARAMS, base_score=total / len(target))
    return xgb.train(params, xgb.DMatrix(x, label=target, missing=np.nan), num_boost_round=ROUNDS)


def moments(a_out, s_out):
    a = np.maximum(a_out.astype(np.float64), 0.0)
    s = np.maximum(s_out.astype(np.float64), a * a)
    return a, s


def calibrate(a_out, s_out, e):
    a, s = moments(a_out, s_out)
    r, q = np.abs(e) - a, e * e - s
    m = len(e)
    return {"holdout": m,
            "abs_scale": float(np.sum(r * r) / np.sum(s - a * a)),
            "sq_scale": float(np.sum(q * q) / np.sum(s * s)),
            "abs_bias": float(np.mean(r) ** 2 + np.var(r, ddof=1) / m),
            "sq_bias": float(np.mean(q) ** 2 + np.var(q, ddof=1) / m)}


def estimate(a_out, s_out, cal):
    a, s = moments(a_out, s_out)
    n = len(a)
    z = norm.ppf(1 - (1 - CONFIDENCE) / 2)
    mae = np.mean(a)
    mae_half = z * np.sqrt(cal["abs_scale"] * np.sum(s - a * a) / n**2 + cal["abs_bias"])
    mse = np.mean(s)
    mse_half = z * np.sqrt(cal["sq_scale"] * np.sum(s * s) / n**2 + cal["sq_bias"])
    return {"mae": [mae, max(mae - mae_half, 0.0), mae + mae_half],
            "rmse": [np.sqrt(mse), np.sqrt(max(mse - mse_half, 0.0)), np.sqrt(mse + mse_half)]}


def main():
    rng = np.random.default_rng(20261207)
    ref_x, ref_e = make_rows(rng, REF_ROWS, 0.0)
    win_x, win_e = make_rows(rng, WINDOW_ROWS, 1.0)
    held = np.arange(REF_ROWS) % HOLDOUT_EVERY == HOLDOUT_EVERY - 1
    tr_x, tr_e = ref_x[~held], ref_e[~held]
    abs_model = train(tr_x, np.abs(tr_e).astype(np.float32))
    sq_model = train(tr_x, (tr_e * tr_e).astype(np.float32))
    predict = lambda b, x: b.predict(xgb.DMatrix(x, missing=np.nan))
    cal = calibrate(predict(abs_model, ref_x[held]), predict(sq_model, ref_x[held]), ref_e[held])
    a_win, s_win = predict(abs_model, win_x), predict(sq_model, win_x)
    est = estimate(a_win, s_win, cal)
    with open(os.path.join(HERE, "dle_data.csv"), "w") as f:
        f.write("set,x0,x1,x2,x3,prediction,error\n")
        for name, x, e in (("reference", ref_x, ref_e), ("window", win_x, win_e)):
            for row, err in zip(x, e):
                f.write(name + "," + ",".join(repr(float(v)) for v in row) + "," + repr(float(err)) + "\n")
    out = {"params": dict(PARAMS, rounds=ROUNDS, holdout_every=HOLDOUT_EVERY, confidence=CONFIDENCE),
           "xgboost_version": xgb.__version__,
           "calibration": cal,
           "window_abs_out": [float(v) for v in a_win],
           "window_sq_out": [float(v) for v in s_win],
           "estimate": {k: [float(v) for v in vs] for k, vs in est.items()},
           "realized": {"mae": float(np.mean(np.abs(win_e))), "rmse": float(np.sqrt(np.mean(win_e**2)))}}
    with open(os.path.join(HERE, "dle_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
