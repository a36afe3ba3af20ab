// Deterministic test data shared with tests/data/stats/make_reference.py (same generator, same IEEE
// operations), so the scipy values written into the tests apply to the very same doubles.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace driftgate::stats::testdata {

// Knuth's MMIX LCG; Uniform() = top 53 bits / 2^53.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : state_(seed) {}
  double Uniform() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) * (1.0 / 9007199254740992.0);
  }
  // Irwin–Hall(4), centred: shift + scale·(u1 + u2 + u3 + u4 - 2).
  double Bell(double shift, double scale) {
    double s = Uniform();
    s = s + Uniform();
    s = s + Uniform();
    s = s + Uniform();
    return shift + scale * (s - 2.0);
  }
  // An integer in [0, levels): many ties.
  double Grid(double levels) { return std::floor(Uniform() * levels); }

 private:
  std::uint64_t state_;
};

// make_reference.py bells(seed, n, shift, scale)
inline std::vector<double> Bells(std::uint64_t seed, std::size_t n, double shift = 0.0, double scale = 1.0) {
  Lcg lcg(seed);
  std::vector<double> values(n);
  for (double& v : values) v = lcg.Bell(shift, scale);
  return values;
}

// make_reference.py grids(seed, n, levels, offset)
inline std::vector<double> Grids(std::uint64_t seed, std::size_t n, double levels, double offset = 0.0) {
  Lcg lcg(seed);
  std::vector<double> values(n);
  for (double& v : values) v = lcg.Grid(levels) + offset;
  return values;
}

}  // namespace driftgate::stats::testdata
