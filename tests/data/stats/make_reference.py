#!/usr/bin/python3
"""Reference values for tests/unit/stats (run once with Debian's python3: scipy 1.10.1, numpy 1.24.2).

    /usr/bin/python3 tests/data/stats/make_reference.py kstwo    > tests/data/stats/kstwo_sf.csv
    /usr/bin/python3 tests/data/stats/make_reference.py smirnov  > tests/data/stats/smirnov_sf.csv
    /usr/bin/python3 tests/data/stats/make_reference.py cases    # values pasted into the *_test.cpp files

Samples bigger than a few values come from the LCG below, mirrored in tests/unit/stats/lcg.h; only
IEEE-exact operations (+, -, *, floor) turn its output into data, so both sides see identical doubles.
"""
import math
import sys

import numpy as np
import scipy
import scipy.special
import scipy.stats
from scipy.spatial.distance import jensenshannon

MASK = (1 << 64) - 1


class Lcg:
    """Knuth's MMIX LCG; Uniform() = top 53 bits / 2^53."""

    def __init__(self, seed):
        self.state = seed & MASK

    def uniform(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.state >> 11) * (1.0 / 9007199254740992.0)

    def bell(self, shift, scale):
        """Irwin-Hall(4) centred: a bell-shaped value, shift + scale * (u1 + u2 + u3 + u4 - 2)."""
        s = self.uniform()
        s = s + self.uniform()
        s = s + self.uniform()
        s = s + self.uniform()
        return shift + scale * (s - 2.0)

    def grid(self, levels):
        """An integer in [0, levels): many ties."""
        return math.floor(self.uniform() * levels)


def bells(seed, n, shift=0.0, scale=1.0):
    g = Lcg(seed)
    return np.array([g.bell(shift, scale) for _ in range(n)])


def grids(seed, n, levels, offset=0.0):
    g = Lcg(seed)
    return np.array([g.grid(levels) + offset for _ in range(n)])


def kstwo_grid():
    ns = [1, 2, 3, 5, 10, 25, 60, 100, 140, 141, 200, 500, 1000, 3334, 10000, 50000, 100000, 100001,
          250000, 500000, 1000000, 2000000]
    print("n,x,sf")
    for n in ns:
        xs = set()
        for t in [0.3, 0.5, 0.75, 1.0, 1.5, 2.5]:  # n*x (Ruben-Gambino and just above)
            xs.add(t / n)
        for nxx in [0.2, 0.5, 0.754, 0.76, 1.0, 1.5, 2.0, 2.19, 2.21, 3.0, 3.99, 4.01, 6.0, 10.0, 17.9,
                    18.1, 40.0, 100.0, 300.0, 369.0, 371.0]:  # n*x^2
            xs.add(math.sqrt(nxx / n))
        for x in [0.05, 0.1, 0.3, 0.45, 0.5, 0.55, 0.8, 0.95]:
            xs.add(x)
        xs.add(1.0 - 1.5 / n)
        xs.add(1.0 - 0.5 / n)
        for x in sorted(xs):
            if 0.0 < x < 1.0:
                sf = scipy.stats.kstwo.sf(x, n)
                print(f"{n},{x!r},{sf!r}")


def smirnov_grid():
    print("n,x,sf")
    for n in [2, 3, 7, 20, 100, 1000, 1012, 1013, 5000, 100000, 1000000, 1000001, 3000000]:
        xs = {0.1 / n, 1.0 / n, 1.7 / n, 0.2, 0.5, 0.9, 1.0 - 1.5 / n}
        for nxx in [0.5, 2.2, 5.0, 30.0, 200.0, 370.0]:
            xs.add(math.sqrt(nxx / n))
        for x in sorted(xs):
            if 0.0 < x < 1.0:
                print(f"{n},{x!r},{scipy.special.smirnov(n, x)!r}")


DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def decile_counts(ref, cur):
    edges = np.quantile(ref, DECILES)
    r = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=10)
    c = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=10)
    return r, c


def category_counts(ref, cur):
    cats = sorted(set(ref) | set(cur))
    return (np.array([list(ref).count(k) for k in cats]), np.array([list(cur).count(k) for k in cats]))


def psi(r, c):
    rp = r / r.sum()
    cp = c / c.sum()
    rp = np.where(rp == 0, 1e-4, rp)
    cp = np.where(cp == 0, 1e-4, cp)
    return float(np.sum((cp - rp) * np.log(cp / rp)))


def show(label, value):
    print(f"{label} = {value!r}")


def cases():
    print(f"# scipy {scipy.__version__}, numpy {np.__version__}")
    # --- ks_2samp
    ks_cases = {
        "tiny_unequal_ties": (np.array([1.0, 2, 3, 4, 5]), np.array([3.0, 4, 5, 6, 7, 8])),
        "separated": (np.array([1.0, 2, 3]), np.array([4.0, 5, 6])),
        "equal_50_shift": (bells(1, 50), bells(2, 50, 0.5)),
        "unequal_100_73": (bells(3, 100), bells(4, 73)),
        "ties_200_150": (grids(5, 200, 12), grids(6, 150, 12, 1.0)),
        "equal_10000": (bells(7, 10000), bells(8, 10000, 0.03)),
        "unequal_10000_7001": (bells(9, 10000), bells(10, 7001, 0.02)),
        "asymp_10001_5000": (bells(11, 10001), bells(12, 5000, 0.02)),
        "asymp_20000_20000_drift": (bells(13, 20000), bells(14, 20000, 0.05)),
        "asymp_200000_300000_same": (bells(15, 200000), bells(16, 300000)),
        "asymp_200000_300000_drift": (bells(17, 200000), bells(18, 300000, 0.01)),
        "asymp_12000_30": (bells(19, 12000), bells(20, 30, 0.4)),
        "asymp_15000_1": (bells(21, 15000), np.array([0.3])),
        "asymp_ties_30000_20000": (grids(22, 30000, 50), grids(23, 20000, 50)),
    }
    for name, (a, b) in ks_cases.items():
        r = scipy.stats.ks_2samp(a, b)
        print(f"ks {name}: statistic={r.statistic!r} pvalue={r.pvalue!r}")

    # --- chi2_contingency(correction=False) on counts
    for name, (r, c) in {
        "counts_3": (np.array([10, 20, 30]), np.array([15, 15, 30])),
        "counts_2": (np.array([45, 55]), np.array([60, 40])),
        "counts_5_large": (np.array([1000, 2000, 3000, 1500, 2500]), np.array([1100, 1900, 3200, 1400, 2400])),
    }.items():
        chi2, p, dof, _ = scipy.stats.chi2_contingency(np.array([r, c]), correction=False)
        print(f"chi2 {name}: statistic={chi2!r} pvalue={p!r} dof={dof}")

    # --- numeric samples through decile bins: psi, jensen_shannon, chi2
    numeric = {
        "bells_1000_800_shift": (bells(31, 1000), bells(32, 800, 0.3)),
        "bells_5000_5000_same": (bells(33, 5000), bells(34, 5000)),
        "grid_ties_500_400": (grids(35, 500, 4), grids(36, 400, 6)),
    }
    for name, (a, b) in numeric.items():
        r, c = decile_counts(a, b)
        nz = (r + c) > 0
        chi2, p, dof, _ = scipy.stats.chi2_contingency(np.array([r[nz], c[nz]]), correction=False)
        print(f"binned {name}: edges={list(np.quantile(a, DECILES))!r}")
        print(f"binned {name}: ref={list(r)} cur={list(c)}")
        print(f"binned {name}: psi={psi(r, c)!r} js={float(jensenshannon(r / r.sum(), c / c.sum(), base=2))!r}")
        print(f"binned {name}: chi2={chi2!r} pvalue={p!r} dof={dof}")
        print(f"binned {name}: wasserstein={scipy.stats.wasserstein_distance(a, b)!r} "
              f"std_ref={float(np.std(a))!r} "
              f"normed={scipy.stats.wasserstein_distance(a, b) / max(float(np.std(a)), 0.001)!r}")

    # --- categories over the union
    cat_ref = ["DE"] * 40 + ["FR"] * 30 + ["IT"] * 20 + ["ES"] * 10
    cat_cur = ["DE"] * 25 + ["FR"] * 30 + ["IT"] * 25 + ["PL"] * 20
    r, c = category_counts(cat_ref, cat_cur)
    chi2, p, dof, _ = scipy.stats.chi2_contingency(np.array([r, c]), correction=False)
    print(f"categories: ref={list(r)} cur={list(c)} psi={psi(r, c)!r} "
          f"js={float(jensenshannon(r / r.sum(), c / c.sum(), base=2))!r} chi2={chi2!r} p={p!r} dof={dof}")

    # --- two-proportion z-test
    for name, (k1, n1, k2, n2) in {"z_60_100_45_100": (60, 100, 45, 100),
                                   "z_300_1000_420_1200": (300, 1000, 420, 1200),
                                   "z_strong": (900, 1000, 100, 1000)}.items():
        p1, p2 = k1 / n1, k2 / n2
        pooled = float(p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
        print(f"{name}: z={float(z)!r} p={float(2 * scipy.stats.norm.sf(abs(z)))!r}")

    # --- wasserstein on small explicit samples
    show("wasserstein [0,1,3] [5,6,8]", scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]))
    show("wasserstein [3.4,3.9,7.5,7.8] [4.5,1.4]",
         scipy.stats.wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4]))
    show("quantile deciles 1..11", list(np.quantile(np.arange(1.0, 12.0), DECILES)))
    show("quantile deciles [3,1,2]", list(np.quantile(np.array([3.0, 1.0, 2.0]), DECILES)))
    show("quantile deciles bells(41, 1001)", list(np.quantile(bells(41, 1001), DECILES)))
    show("std bells(41, 1001)", float(np.std(bells(41, 1001))))


if __name__ == "__main__":
    {"kstwo": kstwo_grid, "smirnov": smirnov_grid, "cases": cases}[sys.argv[1]]()
