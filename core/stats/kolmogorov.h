// Distributions of the one-sample Kolmogorov–Smirnov statistics for a finite sample size n.
//
// KolmogorovSf(n, x) = Pr(D_n >= x) with D_n = sup|F_n - F|, the `kstwo` distribution of scipy
// (scipy.stats.kstwo.sf(x, n), scipy 1.10 `scipy/stats/_ksstats.py`). The method per (n, x) follows
// Simard & L'Ecuyer (2011) "Computing the two-sided Kolmogorov–Smirnov distribution", JSS 39(11):
//   n·x <= 1 or n·x >= n - 1: Ruben–Gambino closed forms;
//   x >= 0.5: 2·Pr(D_n^+ >= x) exactly (the two one-sided events are disjoint);
//   n <= 140: Durbin matrix (Marsaglia, Tsang & Wang 2003, JSS 8(18)) for n·x² <= 0.754693,
//             Pomeranz recursion (CACM 17(12), 1974) for n·x² <= 4, else 2·Pr(D_n^+ >= x);
//   n > 140:  n·x² >= 370: 0; n·x² >= 2.2: 2·Pr(D_n^+ >= x); otherwise 1 - CDF by the Durbin matrix
//             (n <= 100000 and n·x^1.5 <= 1.4) or the Pelz–Good asymptotic series (JRSS B 38(2), 1976).
//
// SmirnovSf(n, x) = Pr(D_n^+ >= x), the one-sided statistic (scipy.special.smirnov): the
// Smirnov/Birnbaum–Tingey sum  x·Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v),
// evaluated term by term in long-double log space (scipy uses double-double; both are accurate to far
// better than 1e-12 relative), with van Mulbregt's early stop (arXiv:1802.06966) and, for n > 10^6,
// scipy's approximation exp(-(6nx+1)²/(18n)).
#pragma once

#include <cstdint>

namespace driftgate::stats {

// NaN when n < 1 or x is NaN.
double KolmogorovSf(std::int64_t n, double x);
double SmirnovSf(std::int64_t n, double x);

// The exact finite-n CDF pieces, exposed for tests: Pr(D_n <= x).
double KolmogorovCdfDurbin(std::int64_t n, double x);    // Marsaglia–Tsang–Wang
double KolmogorovCdfPomeranz(std::int64_t n, double x);  // Pomeranz
double KolmogorovCdfPelzGood(std::int64_t n, double x);  // asymptotic, large n

}  // namespace driftgate::stats
