#!/usr/bin/python3
"""Reference values for tests/unit/stats/reconstruction_test.cpp (core/stats/reconstruction.h), computed
independently of the C++ with scikit-learn and numpy.

Run: /usr/bin/python3 tests/data/multivariate/make_reconstruction.py   (Debian's python3-sklearn 1.2.1,
numpy 1.24.2). Writes reconstruction.json next to this script: the reference and window rows (objects of
feature -> number, string or null; a feature may be absent) and what the method gives on them.

The method is NannyML's data-reconstruction drift: impute (mean / most frequent, sklearn SimpleImputer),
frequency-encode categories (category_encoders.CountEncoder(normalize=True), written out here with
numpy.unique because category_encoders is not packaged by Debian), standardize (sklearn StandardScaler),
PCA keeping the fewest components whose cumulative explained-variance ratio exceeds 0.65 — here from
numpy's SVD, checked against sklearn.decomposition.PCA(n_components=0.65) — and the mean Euclidean norm of
z - inverse_transform(transform(z)); the threshold is mean -+ 3 np.std of the reference's 10 chunk means
(numpy.array_split).
"""
import json
import os

import numpy as np
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(20261207)
NUMERIC = ["a", "b", "c", "d"]
CATEGORICAL = ["colour"]
COLOURS = ["red", "green", "blue", "violet"]


def make_rows(n, rho, unseen):
    rows = []
    for i in range(n):
        a = rng.normal()
        b = rho * a + np.sqrt(1 - rho * rho) * rng.normal()
        c = 0.5 * a + rng.normal()
        d = 10 + 2 * rng.normal()
        colour = COLOURS[int(rng.choice(4, p=[0.4, 0.3, 0.2, 0.1]))]
        if unseen and i % 37 == 0:
            colour = "zz"
        row = {"a": float(a), "b": float(b), "c": float(c) if i % 23 else None, "colour": colour}
        if i % 31:
            row["d"] = float(d)  # sometimes absent
        if i % 29 == 0:
            row["colour"] = None
        row["ignored_in_window"] = 1.0 if not unseen else None
        rows.append(row)
    return rows


reference = make_rows(600, 0.8, False)
window = make_rows(300, -0.8, True)
# "ignored_in_window" is a constant numeric feature of the reference (scale 1 in StandardScaler) that
# the window lacks: imputed with its mean there.


def column(rows, name, categorical):
    out = []
    for r in rows:
        v = r.get(name)
        if categorical:
            out.append(v if isinstance(v, str) else np.nan)
        else:
            out.append(v if isinstance(v, float) else np.nan)
    return np.array(out, dtype=object if categorical else float)


features = sorted(NUMERIC + CATEGORICAL + ["ignored_in_window"])
encoders = {}
for name in features:
    categorical = name in CATEGORICAL
    ref_col = column(reference, name, categorical)
    if categorical:
        imp = SimpleImputer(strategy="most_frequent", missing_values=np.nan)
        imputed = imp.fit_transform(ref_col.reshape(-1, 1)).ravel()
        labels, counts = np.unique(imputed.astype(str), return_counts=True)
        freq = dict(zip(labels, counts / len(imputed)))
        encoders[name] = ("cat", imp, freq)
    else:
        imp = SimpleImputer(strategy="mean")
        imp.fit(ref_col.reshape(-1, 1))
        encoders[name] = ("num", imp, None)


def encode(rows):
    cols = []
    for name in features:
        kind, imp, freq = encoders[name]
        col = column(rows, name, kind == "cat")
        imputed = imp.transform(col.reshape(-1, 1)).ravel()
        if kind == "cat":
            imputed = np.array([freq.get(str(v), 0.0) for v in imputed])
        cols.append(imputed.astype(float))
    return np.column_stack(cols)


X_ref = encode(reference)
X_win = encode(window)
scaler = StandardScaler().fit(X_ref)
Z_ref = scaler.transform(X_ref)
Z_win = scaler.transform(X_win)

centre = Z_ref.mean(axis=0)
_, s, vt = np.linalg.svd(Z_ref - centre, full_matrices=False)
ratio = s ** 2 / np.sum(s ** 2)
k = int(np.searchsorted(np.cumsum(ratio), 0.65, side="right") + 1)
assert PCA(n_components=0.65, svd_solver="full").fit(Z_ref).n_components_ == k
V = vt[:k].T


def errors(Z):
    C = Z - centre
    return np.linalg.norm(C - C @ V @ V.T, axis=1)


ref_err = errors(Z_ref)
chunks = [float(np.mean(c)) for c in np.array_split(ref_err, 10)]
m, sd = float(np.mean(chunks)), float(np.std(chunks))
win_err = errors(Z_win)
out = {
    "reference": reference,
    "window": window,
    "features": features,
    "components": k,
    "chunk_errors": chunks,
    "lower": m - 3 * sd,
    "upper": m + 3 * sd,
    "window_errors": [float(e) for e in win_err],
    "window_error": float(np.mean(win_err)),
    "reference_error": float(np.mean(ref_err)),
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reconstruction.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None)
    f.write("\n")
print(f"components={k} window_error={out['window_error']!r} bounds=[{out['lower']!r}, {out['upper']!r}]")
