#include "core/stats/radix_sort.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

namespace driftgate::stats {
namespace {

constexpr int kDigitBits = 11;
constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
constexpr int kPasses = (64 + kDigitBits - 1) / kDigitBits;  // 6
constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
// Below this, the histogram set-up costs more than comparison sorting.
constexpr std::size_t kRadixMinSize = 4096;

std::uint64_t ToKey(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
}

double FromKey(std::uint64_t key) {
  return std::bit_cast<double>((key & kSignBit) != 0 ? key & ~kSignBit : ~key);
}

}  // namespace

std::vector<double> SortedCopy(std::span<const double> values) {
  if (values.size() < kRadixMinSize) {
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  }
  std::vector<std::uint64_t> keys(values.size());
  std::vector<std::uint64_t> scratch(values.size());
  std::array<std::array<std::size_t, kBuckets>, kPasses> counts{};
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::uint64_t key = ToKey(values[i]);
    keys[i] = key;
    for (int pass = 0; pass < kPasses; ++pass) ++counts[pass][(key >> (pass * kDigitBits)) & (kBuckets - 1)];
  }
  for (int pass = 0; pass < kPasses; ++pass) {
    auto& count = counts[static_cast<std::size_t>(pass)];
    const std::uint64_t first_digit = (keys[0] >> (pass * kDigitBits)) & (kBuckets - 1);
    if (count[first_digit] == keys.size()) continue;  // every key has this digit: order unchanged
    std::size_t offset = 0;
    for (std::size_t& c : count) {  // counts -> starting offsets
      const std::size_t n = c;
      c = offset;
      offset += n;
    }
    for (const std::uint64_t key : keys)
      scratch[count[(key >> (pass * kDigitBits)) & (kBuckets - 1)]++] = key;
    keys.swap(scratch);
  }
  std::vector<double> sorted(values.size());
  for (std::size_t i = 0; i < keys.size(); ++i) sorted[i] = FromKey(keys[i]);
  return sorted;
}

std::span<const double> Sorted(std::span<const double> values, std::vector<double>& storage) {
  if (std::is_sorted(values.begin(), values.end())) return values;
  storage = SortedCopy(values);
  return storage;
}

}  // namespace driftgate::stats
