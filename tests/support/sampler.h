// Seeded samplers for test streams on driftgate's own generator (core/detect/splitmix64.h): the same
// values with every compiler and standard library, unlike std::*_distribution, whose algorithms the
// standard leaves to the implementation. Box–Muller normals (G. E. P. Box, M. E. Muller, Ann. Math.
// Statist. 29(2), 1958) use only log, sqrt and cos.
#pragma once

#include <cmath>
#include <cstdint>

#include "core/detect/splitmix64.h"

namespace driftgate::test_support {

class Sampler {
 public:
  explicit Sampler(std::uint64_t seed) : rng_{seed} {}

  std::uint64_t Next() { return rng_.Next(); }
  double Uniform() { return rng_.Uniform(); }  // [0, 1)
  bool Bernoulli(double p) { return Uniform() < p; }
  std::uint64_t Below(std::uint64_t bound) { return rng_.Below(bound); }  // uniform on [0, bound), unbiased
  double Gaussian(double mean, double sd) {
    const double u1 = 1.0 - Uniform();  // (0, 1]: log stays finite
    const double u2 = Uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  detect::SplitMix64 rng_;
};

}  // namespace driftgate::test_support
