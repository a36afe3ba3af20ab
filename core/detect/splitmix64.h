// SplitMix64: driftgate's seeded generator — KSWIN's sampler and the test streams' source — the same
// numbers on every platform and standard library (G. L. Steele, D. Lea, C. H. Flood, "Fast Splittable
// Pseudorandom Number Generators", OOPSLA 2014; constants from Vigna's reference splitmix64.c). The whole
// state is one 64-bit word, so it fits a detector snapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace driftgate::detect {

struct SplitMix64 {
  std::uint64_t state = 0;

  std::uint64_t Next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform on [0, bound), unbiased: rejects the 2^64 mod bound lowest outputs, which would otherwise
  // favour small results. bound > 0.
  std::uint64_t Below(std::uint64_t bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
      const std::uint64_t r = Next();
      if (r >= threshold) return r % bound;
    }
  }
  // Uniform on [0, 1): the top 53 bits scaled by 2^-53.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
};

// `k` distinct positions of [0, population), uniformly, by a partial Fisher–Yates shuffle of `scratch`
// (resized to population); the draw is scratch's first min(k, population) entries.
void DrawWithoutReplacement(SplitMix64& rng, std::size_t population, std::size_t k,
                            std::vector<std::uint32_t>& scratch);

}  // namespace driftgate::detect
