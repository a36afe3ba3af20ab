#!/usr/bin/python3
"""A line-by-line model of River's drift detectors (online-ml/river, river/drift/), for the reference values
the detector tests pin. River itself is not installable here (no PyPI); this model follows the peer's
source statement by statement, in the same floating-point order, so CPython (same libm) gives the peer's
numbers. Standard library only, except KSWIN's p-value, which comes from scipy.stats.ks_2samp as in the
peer (Debian's python3-scipy).

Sources modelled (River's newest river/drift): adwin.py + adwin_c.pyx (ADWIN, every cut point as MOA),
binary/ddm.py, binary/eddm.py, binary/hddm_a.py, binary/hddm_w.py, page_hinkley.py, kswin.py; the
statistics under them: stats/mean.py (Mean), stats/var.py (Var), stats/ewmean.py (EWMean, whose Rust core
watermill::EWMean restarts from x whenever its mean is exactly 0).

Where the peer cannot be followed exactly: KSWIN draws its sample with CPython's random.Random(seed);
driftgate draws it with SplitMix64 and a partial Fisher-Yates shuffle. The model has both samplers:
`kswin:...,sampler=splitmix` gives driftgate's exact alarm list (River's logic and scipy's p-value on
driftgate's sample), the default `sampler=python` gives River's own.

Usage:
  river_model.py replay --detector 'hddm_w:lambda_val=0.2' --input STREAM   -> JSON {drifts, warnings}
  river_model.py regenerate [--check]   rewrites (or only compares) every JSON file of this folder and
                                        prints the cases of tests/unit/detect/peer_model_test.cpp
  river_model.py derive ELEC_CSV        writes the elec-derived streams of this folder
"""
import argparse
import collections
import json
import math
import os
import random
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
RIVER_DIR = os.path.join(os.path.dirname(HERE), "river")


# ---- the statistics under the detectors -------------------------------------------------------------
class Mean:  # river/stats/mean.py
    def __init__(self):
        self.n = 0
        self.mean = 0.0

    def update(self, x, w=1.0):
        self.n += w
        if self.n > 0:
            self.mean += w * (x - self.mean) / self.n

    def clone(self):
        other = Mean()
        other.n, other.mean = self.n, self.mean
        return other


class Var:  # river/stats/var.py, ddof = 1
    def __init__(self):
        self.ddof = 1
        self.mean = Mean()
        self.sigma = 0.0

    def update(self, x, w=1.0):
        mean = self.mean.mean
        self.mean.update(x, w)
        if self.mean.n > self.ddof:
            self.sigma += w * ((x - mean) * (x - self.mean.mean) - self.sigma) / (self.mean.n - self.ddof)


class EWMean:  # river/stats/ewmean.py over River's Rust EWMean (rust_src/ewmean.rs)
    # The first value starts the mean (an `initialized` flag). The older watermill EWMean restarted from x
    # whenever the mean was exactly 0; `--ewmean-zero-restart` selects that rule, to show the difference.
    zero_restart = False

    def __init__(self, alpha):
        self.alpha = alpha
        self.mean = 0.0
        self.initialized = False

    def update(self, x):
        if not self.initialized or (EWMean.zero_restart and self.mean == 0.0):
            self.mean = float(x)
            self.initialized = True
        else:
            self.mean = self.alpha * x + (1.0 - self.alpha) * self.mean


# ---- detectors: update(x) sets .drift and .warning -----------------------------------------------------
class Adwin:
    def __init__(self, delta=0.002, clock=32, max_buckets=5, min_window_length=5, grace_period=10):
        self.p = dict(delta=delta, clock=int(clock), max_buckets=int(max_buckets),
                      min_window_length=int(min_window_length), grace_period=int(grace_period))
        self.drift = self.warning = False
        self._reset()

    def _reset(self):
        # rows[i] is a list of [total, variance] buckets of 2^i elements, oldest first
        self.rows = [[]]
        self.total = 0.0
        self.variance = 0.0
        self.width = 0.0
        self.tick = 0

    def update(self, x):
        if self.drift:
            self._reset()
        self._insert(float(x))
        self.drift = self._detect()

    def _insert(self, value):
        self.rows[0].append([value, 0.0])
        self.width += 1
        incremental_variance = 0.0
        if self.width > 1.0:
            incremental_variance = ((self.width - 1.0) * (value - self.total / (self.width - 1.0))
                                    * (value - self.total / (self.width - 1.0)) / self.width)
        self.variance += incremental_variance
        self.total += value
        self._compress()

    def _compress(self):
        idx = 0
        while idx < len(self.rows) and len(self.rows[idx]) == self.p["max_buckets"] + 1:
            if idx + 1 == len(self.rows):
                self.rows.append([])
            n1 = n2 = math.pow(2, idx)
            (t1, v1), (t2, v2) = self.rows[idx][0], self.rows[idx][1]
            mu1, mu2 = t1 / n1, t2 / n2
            temp = n1 * n2 * (mu1 - mu2) * (mu1 - mu2) / (n1 + n2)
            self.rows[idx + 1].append([t1 + t2, v1 + v2 + temp])
            del self.rows[idx][:2]
            if len(self.rows[idx + 1]) <= self.p["max_buckets"]:
                break
            idx += 1

    def _delete_oldest(self):
        last = len(self.rows) - 1
        n = math.pow(2, last)
        u, v = self.rows[last][0]
        mu = u / n
        self.width -= n
        self.total -= u
        mu_window = self.total / self.width
        self.variance -= v + n * self.width * (mu - mu_window) * (mu - mu_window) / (n + self.width)
        del self.rows[last][0]
        if not self.rows[last] and last > 0:
            self.rows.pop()
        return n

    def _cut(self, n0, n1, delta_mean):
        min_len = self.p["min_window_length"]
        delta_prime = math.log(2 * math.log(self.width) / self.p["delta"])
        m_recip = (1.0 / (n0 - min_len + 1)) + (1.0 / (n1 - min_len + 1))
        epsilon = math.sqrt(2 * m_recip * (self.variance / self.width) * delta_prime) + 2 / 3 * delta_prime * m_recip
        return abs(delta_mean) > epsilon

    def _detect(self):
        change = False
        self.tick += 1
        if not (self.tick % self.p["clock"] == 0 and self.width > self.p["grace_period"]):
            return False
        min_len = self.p["min_window_length"]
        reduce_width = True
        while reduce_width:
            reduce_width = False
            n0, n1, u0, u1 = 0.0, self.width, 0.0, self.total
            done = False
            for idx in range(len(self.rows) - 1, -1, -1):
                if done:
                    break
                row = self.rows[idx]
                for k in range(len(row)):
                    n2 = math.pow(2, idx)
                    n0 += n2
                    n1 -= n2
                    u0 += row[k][0]
                    u1 -= row[k][0]
                    if idx == 0 and k == len(row) - 1:
                        done = True  # W1 would be empty
                        break
                    delta_mean = (u0 / n0) - (u1 / n1)
                    if n1 >= min_len and n0 >= min_len and self._cut(n0, n1, delta_mean):
                        reduce_width = change = True
                        if self.width > 0:
                            self._delete_oldest()
                            done = True
                            break
        return change


class Ddm:
    def __init__(self, warm_start=30, warning_threshold=2.0, drift_threshold=3.0):
        self.warm_start, self.wt, self.dt = warm_start, warning_threshold, drift_threshold
        self.drift = self.warning = False
        self._reset()

    def _reset(self):
        self.drift = self.warning = False
        self.p = Mean()
        self.p_min = self.s_min = self.ps_min = float("inf")

    def update(self, x):
        if self.drift:
            self._reset()
        self.p.update(x)
        p_i, n = self.p.mean, self.p.n
        s_i = math.sqrt(p_i * (1 - p_i) / n)
        if n > self.warm_start:
            if p_i + s_i <= self.ps_min:
                self.p_min, self.s_min = p_i, s_i
                self.ps_min = self.p_min + self.s_min
            self.warning = p_i + s_i > self.p_min + self.wt * self.s_min
            if p_i + s_i > self.p_min + self.dt * self.s_min:
                self.drift, self.warning = True, False


class Eddm:
    def __init__(self, warm_start=30, alpha=0.95, beta=0.9):
        self.warm_start, self.alpha, self.beta = warm_start, alpha, beta
        self.drift = self.warning = False
        self._reset()

    def _reset(self):
        self.drift = self.warning = False
        self.distances = Var()
        self.n = 0
        self.last_error = 0
        self.n_errors = 0
        self.p2s_max = -1

    def update(self, x):
        if self.drift:
            self._reset()
        self.n += 1
        if x == 1:
            self.n_errors += 1
            self.distances.update(self.n - self.last_error)
            if self.n > self.warm_start:
                pi_prime = self.distances.mean.mean
                si_prime = self.distances.sigma ** 0.5
                p2s = pi_prime + 2 * si_prime
                if p2s > self.p2s_max:
                    self.p2s_max = p2s
                elif self.n_errors > self.warm_start:
                    level = p2s / self.p2s_max
                    if level < self.beta:
                        self.drift = True
                    elif level < self.alpha:
                        self.warning = True
                    else:
                        self.warning = False
            self.last_error = self.n


class HddmA:
    def __init__(self, drift_confidence=0.001, warning_confidence=0.005, two_sided_test=False):
        self.dc, self.wc, self.two_sided = drift_confidence, warning_confidence, bool(two_sided_test)
        self.drift = self.warning = False
        self._reset()

    def _reset(self):
        self.drift = self.warning = False
        self.x_min, self.x_max, self.z = Mean(), Mean(), Mean()

    def _hoeffding(self, n):
        return math.sqrt(1.0 / (2 * n) * math.log(1.0 / self.dc))

    def _changed(self, cut, confidence, increase):
        if cut.n == self.z.n:
            return False
        m = (self.z.n - cut.n) / cut.n * (1.0 / self.z.n)
        eps = math.sqrt(m / 2 * math.log(2.0 / confidence))
        diff = self.z.mean - cut.mean if increase else cut.mean - self.z.mean
        return diff >= eps

    def update(self, x):
        if self.drift:
            self._reset()
        self.z.update(x)
        if self.x_min.n == 0:
            self.x_min = self.z.clone()
        if self.x_max.n == 0:
            self.x_max = self.z.clone()
        eps_z = self._hoeffding(self.z.n)
        eps_x = self._hoeffding(self.x_min.n)
        if self.x_min.mean + eps_x >= self.z.mean + eps_z:
            self.x_min = self.z.clone()
        eps_x = self._hoeffding(self.x_max.n)
        if self.x_max.mean - eps_x <= self.z.mean - eps_z:
            self.x_max = self.z.clone()
        if self._changed(self.x_min, self.dc, True):
            self.warning, self.drift = False, True
        elif self._changed(self.x_min, self.wc, True):
            self.warning, self.drift = True, False
        else:
            self.warning = self.drift = False
        if self.two_sided:
            if self._changed(self.x_max, self.dc, False):
                self.drift = True
            elif self._changed(self.x_max, self.wc, False):
                self.warning = True


class SampleInfo:  # binary/hddm_w.py
    def __init__(self, lambd):
        self.ewma = EWMean(lambd)
        self.is_init = False
        self.ibc = 1.0
        self.lambd_sq = lambd * lambd
        self.c_lambd_sq = (1 - lambd) ** 2

    def update(self, x):
        self.ewma.update(x)
        self.is_init = True
        self.ibc = self.lambd_sq + self.c_lambd_sq * self.ibc

    def copy(self):
        other = SampleInfo.__new__(SampleInfo)
        other.__dict__.update(self.__dict__)
        other.ewma = EWMean(self.ewma.alpha)
        other.ewma.mean = self.ewma.mean
        other.ewma.initialized = self.ewma.initialized
        return other


class HddmW:
    def __init__(self, drift_confidence=0.001, warning_confidence=0.005, lambda_val=0.05, two_sided_test=False):
        self.dc, self.wc, self.lambd = drift_confidence, warning_confidence, lambda_val
        self.two_sided = bool(two_sided_test)
        self.drift = self.warning = False
        self._reset()

    def _reset(self):
        self.drift = self.warning = False
        self.total, self.s1_decr, self.s1_incr, self.s2_decr, self.s2_incr = (
            SampleInfo(self.lambd) for _ in range(5))
        self.incr_cut = float("inf")
        self.decr_cut = -float("inf")

    @staticmethod
    def _bound(ibc, confidence):
        return math.sqrt(ibc * math.log(1 / confidence) / 2)

    def _changed(self, s1, s2, confidence):
        if not (s1.is_init and s2.is_init):
            return False
        return s2.ewma.mean - s1.ewma.mean > self._bound(s1.ibc + s2.ibc, confidence)

    def update(self, x):
        if self.drift:
            self._reset()
        self.total.update(x)
        eps = self._bound(self.total.ibc, self.dc)
        if self.total.ewma.mean + eps < self.incr_cut:
            self.incr_cut = self.total.ewma.mean + eps
            self.s1_incr = self.total.copy()
            self.s2_incr = SampleInfo(self.lambd)
        else:
            self.s2_incr.update(x)
        if self._changed(self.s1_incr, self.s2_incr, self.dc):
            self.warning, self.drift = False, True
        elif self._changed(self.s1_incr, self.s2_incr, self.wc):
            self.warning, self.drift = True, False
        else:
            self.warning = self.drift = False
        eps = self._bound(self.total.ibc, self.dc)
        if self.total.ewma.mean - eps > self.decr_cut:
            self.decr_cut = self.total.ewma.mean - eps
            self.s1_decr = self.total.copy()
            self.s2_decr = SampleInfo(self.lambd)
        else:
            self.s2_decr.update(x)
        if self.two_sided:
            if self._changed(self.s2_decr, self.s1_decr, self.dc):
                self.drift = True
            elif self._changed(self.s2_decr, self.s1_decr, self.wc):
                self.warning = True


class PageHinkley:  # page_hinkley.py, with its `mode` (up / down / both)
    def __init__(self, min_instances=30, delta=0.005, threshold=50.0, alpha=1 - 0.0001, mode="both"):
        self.min_instances, self.delta, self.threshold, self.alpha = min_instances, delta, threshold, alpha
        self.mode = mode
        self.drift = self.warning = False
        self._reset()

    def _reset(self):
        self.drift = False
        self.mean = Mean()
        self.sum_increase = 0.0
        self.sum_decrease = 0.0
        self.min_increase = float("inf")
        self.max_decrease = -1  # the peer's start value, not -inf

    def update(self, x):
        if self.drift:
            self._reset()
        self.mean.update(x)
        dev = x - self.mean.mean
        self.sum_increase = self.alpha * self.sum_increase + dev - self.delta
        self.sum_decrease = self.alpha * self.sum_decrease + dev + self.delta
        if self.sum_increase < self.min_increase:
            self.min_increase = self.sum_increase
        if self.sum_decrease > self.max_decrease:
            self.max_decrease = self.sum_decrease
        if self.mean.n >= self.min_instances:
            up = self.sum_increase - self.min_increase > self.threshold
            down = self.max_decrease - self.sum_decrease > self.threshold
            self.drift = {"up": up, "down": down}.get(self.mode, up or down)


class SplitMix64:  # driftgate's KSWIN sampler (core/detect/splitmix64.cpp)
    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, bound):  # rejection of the 2^64 mod bound lowest outputs
        threshold = ((1 << 64) - bound) % bound
        while True:
            r = self.next()
            if r >= threshold:
                return r % bound

    def sample(self, population, k):  # partial Fisher-Yates
        idx = list(range(population))
        for i in range(k):
            j = i + self.below(population - i)
            idx[i], idx[j] = idx[j], idx[i]
        return idx[:k]


class Kswin:
    def __init__(self, alpha=0.005, window_size=100, stat_size=30, seed=0, sampler="python"):
        from scipy import stats  # the peer's p-value
        self.ks_2samp = stats.ks_2samp
        self.alpha, self.window_size, self.stat_size = alpha, int(window_size), int(stat_size)
        self.seed, self.sampler = int(seed), sampler
        self.drift = self.warning = False
        self._reset()

    def _reset(self):
        self.drift = False
        self.window = collections.deque(maxlen=self.window_size)
        self.rng = SplitMix64(self.seed) if self.sampler == "splitmix" else random.Random(self.seed)

    def update(self, x):
        if self.drift:
            self._reset()
        self.window.append(x)
        self.drift = False
        if len(self.window) < self.window_size:
            return
        older = self.window_size - self.stat_size
        picks = self.rng.sample(range(older), self.stat_size) if self.sampler == "python" else \
            self.rng.sample(older, self.stat_size)
        sample = [self.window[r] for r in picks]
        recent = list(self.window)[older:]
        with warnings.catch_warnings():  # as the peer: "auto" may fall back to the asymptotic method
            warnings.simplefilter("ignore", category=RuntimeWarning)
            st, p_value = self.ks_2samp(sample, recent, method="auto")
        if p_value <= self.alpha and st > 0.1:
            self.drift = True


DETECTORS = {"adwin": Adwin, "ddm": Ddm, "eddm": Eddm, "hddm_a": HddmA, "hddm_w": HddmW,
             "page_hinkley": PageHinkley, "kswin": Kswin}


def make(spec):
    name, _, rest = spec.partition(":")
    params = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        if value in ("true", "false"):
            params[key] = value == "true"
        else:
            try:
                params[key] = int(value)
            except ValueError:
                try:
                    params[key] = float(value)
                except ValueError:
                    params[key] = value
    return DETECTORS[name](**params)


def replay(spec, values):
    detector = make(spec)
    drifts, warnings = [], []
    for i, x in enumerate(values):
        detector.update(x)
        if detector.drift:
            drifts.append(i)
        if detector.warning:
            warnings.append(i)
    return {"drifts": drifts, "warnings": warnings}


def read_stream(path):
    with open(path) as f:
        return [float(line) if "." in line or "e" in line else int(line) for line in f.read().split()]


# ---- the streams derived from Elec2 ------------------------------------------------------------------
def derive(elec_csv):
    """Long real-world streams from Elec2 (scikit-multiflow/streaming-datasets elec.csv, 45,312 rows, in time order):
    elec_persistence_errors  0/1 errors of the "no change" classifier (predict the previous row's class)
    elec_daily_errors        0/1 errors of "same half-hour yesterday" (predict the class 48 rows back)
    elec_nswprice            the normalised NSW price itself, the text of the CSV (real values)"""
    with open(elec_csv) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]
    cls = [int(r[header.index("class")]) for r in rows]
    price = [r[header.index("nswprice")] for r in rows]
    streams = {
        "elec_persistence_errors": [str(int(cls[i] != cls[i - 1])) for i in range(1, len(cls))],
        "elec_daily_errors": [str(int(cls[i] != cls[i - 48])) for i in range(48, len(cls))],
        "elec_nswprice": price,
    }
    for name, values in streams.items():
        with open(os.path.join(HERE, name + ".csv"), "w") as out:
            out.write("\n".join(values) + "\n")


# Every detector with its defaults on each long stream, plus non-default parameters that reach the
# warning zones and two-sided tests. KSWIN runs with driftgate's sampler (its alarm list is pinned).
BINARY = ["elec_persistence_errors", "elec_daily_errors"]
REAL = ["elec_nswprice"]
LONG_CASES = (
    [(s, d) for s in BINARY for d in ["adwin", "ddm", "eddm", "hddm_a", "hddm_w", "page_hinkley",
                                      "hddm_a:two_sided_test=true", "hddm_w:two_sided_test=true",
                                      "hddm_w:lambda_val=0.2,drift_confidence=0.01,warning_confidence=0.05",
                                      "eddm:alpha=0.8,beta=0.75", "adwin:clock=1,delta=0.05",
                                      "kswin:seed=7,sampler=splitmix"]]
    + [(s, d) for s in REAL for d in ["adwin", "adwin:clock=1", "page_hinkley", "page_hinkley:threshold=5",
                                      "kswin:seed=7,sampler=splitmix",
                                      "kswin:alpha=0.0001,window_size=200,stat_size=50,seed=3,sampler=splitmix"]]
)

# The non-default cases of tests/unit/detect/peer_model_test.cpp (2,000-element streams in ../river/).
PEER_CASES = [
    ("adwin:clock=1", "skmf_test_binary_seed1_b.csv"),
    ("adwin:clock=4,max_buckets=2,min_window_length=2,grace_period=0", "skmf_test_binary_seed1_b.csv"),
    ("adwin:clock=1,max_buckets=2,min_window_length=1,grace_period=0,delta=0.3", "river_doc_int_rng12345.csv"),
    ("adwin:delta=0.05,max_buckets=3,clock=8", "skmf_test_binary_seed1_b.csv"),
    ("ddm:warm_start=5,warning_threshold=1.5,drift_threshold=2", "skmf_test_binary_seed1_a.csv"),
    ("eddm:warm_start=5,alpha=0.99,beta=0.97", "skmf_test_binary_seed1_b.csv"),
    ("hddm_a:drift_confidence=0.05,warning_confidence=0.1,two_sided_test=true", "skmf_test_binary_seed1_b.csv"),
    ("hddm_w:lambda_val=0.2,drift_confidence=0.01,warning_confidence=0.05,two_sided_test=true",
     "skmf_test_binary_seed1_b.csv"),
    ("page_hinkley:threshold=5,alpha=0.99,min_instances=5", "skmf_test_binary_seed1_a.csv"),
    ("page_hinkley:mode=up", "skmultiflow_drift_stream.csv"),
]

# KSWIN on the published reference streams with driftgate's sampler: whole alarm lists.
KSWIN_CASES = [
    ("kswin:alpha=0.0001,seed=42,sampler=splitmix", "river_doc_int_rng12345.csv"),
    ("kswin:seed=1,sampler=splitmix", "river_doc_int_rng12345.csv"),
    ("kswin:seed=1,sampler=splitmix", "skmultiflow_drift_stream.csv"),
    ("kswin:alpha=0.01,window_size=60,stat_size=20,seed=5,sampler=splitmix", "skmf_test_binary_seed1_b.csv"),
]


def reference_name(stream, spec):
    return stream + "__" + spec.replace(":", "__").replace(",", "_").replace("=", "-") + ".json"


def published_references():
    """Replays every published reference file of ../river/ with the model: names of those that differ."""
    differ = []
    for name in sorted(os.listdir(RIVER_DIR)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(RIVER_DIR, name)) as f:
            ref = json.load(f)
        params = ",".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}"
                          for k, v in ref["params"].items() if v is not None)
        spec = ref["detector"] + (":" + params if params else "")
        got = replay(spec, read_stream(os.path.join(RIVER_DIR, os.path.basename(ref["input"]))))
        if got["drifts"] != ref["drifts"] or got["warnings"] != ref.get("warnings", []):
            differ.append(name)
    return differ


def regenerate(check):
    wrong = published_references()
    print("published references reproduced:", "all" if not wrong else "NOT " + ", ".join(wrong))
    outputs = {}
    for stream, spec in LONG_CASES:
        values = read_stream(os.path.join(HERE, stream + ".csv"))
        outputs[reference_name(stream, spec)] = dict(stream=stream + ".csv", detector=spec, n=len(values),
                                                     **replay(spec, values))
    kswin = []
    for spec, stream in KSWIN_CASES:
        result = replay(spec, read_stream(os.path.join(RIVER_DIR, stream)))
        kswin.append(dict(stream=stream, detector=spec, drifts=result["drifts"]))
    outputs["kswin_reference_streams.json"] = kswin
    differ = []
    for name, content in outputs.items():
        path = os.path.join(HERE, name)
        text = json.dumps(content, separators=(",", ":")) + "\n"
        if check:
            with open(path) as f:
                if f.read() != text:
                    differ.append(name)
        else:
            with open(path, "w") as f:
                f.write(text)
    for spec, stream in PEER_CASES:
        result = replay(spec, read_stream(os.path.join(RIVER_DIR, stream)))
        w = result["warnings"]
        print(f'{spec} on {stream}: drifts {result["drifts"]}, {len(w)} warnings, index sum {sum(w)}')
    if differ:
        print("differs from the committed files:", ", ".join(differ))
    return 1 if differ or wrong else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("replay")
    p.add_argument("--detector", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--ewmean-zero-restart", action="store_true", help="the older EWMean rule (see EWMean)")
    p = sub.add_parser("regenerate")
    p.add_argument("--check", action="store_true")
    p = sub.add_parser("derive")
    p.add_argument("elec_csv")
    args = parser.parse_args()
    if args.command == "replay":
        EWMean.zero_restart = args.ewmean_zero_restart
        print(json.dumps(replay(args.detector, read_stream(args.input))))
        return 0
    if args.command == "derive":
        derive(args.elec_csv)
        return 0
    return regenerate(args.check)


if __name__ == "__main__":
    sys.exit(main())
