#include "core/detect/splitmix64.h"

#include <numeric>
#include <utility>

namespace driftgate::detect {

void DrawWithoutReplacement(SplitMix64& rng, std::size_t population, std::size_t k,
                            std::vector<std::uint32_t>& scratch) {
  scratch.resize(population);
  std::iota(scratch.begin(), scratch.end(), 0U);
  for (std::size_t i = 0; i < k && i < population; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(rng.Below(population - i));
    std::swap(scratch[i], scratch[j]);
  }
}

}  // namespace driftgate::detect
