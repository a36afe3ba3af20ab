// Scripted prediction/label streams for scenario tests: deterministic (seeded), data time advancing one
// second per record from a fixed start.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "core/domain/time.h"

namespace driftgate::test_support {

class BinaryStream {
 public:
  explicit BinaryStream(std::uint64_t seed, std::string id_prefix = "r")
      : rng_(seed), prefix_(std::move(id_prefix)) {}

  // The next `n` records at accuracy `p`; feature `x` ~ N(shift, 1). Fills both batches.
  void Next(std::size_t n, double p, nlohmann::json& predictions, nlohmann::json& labels, double shift = 0.0) {
    predictions = {{"records", nlohmann::json::array()}};
    labels = {{"records", nlohmann::json::array()}};
    std::bernoulli_distribution correct(p), positive(0.5);
    std::normal_distribution<double> x(shift, 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t i = 0; i < n; ++i, ++count_) {
      const std::string id = prefix_ + std::to_string(count_);
      const std::string ts = domain::FormatRfc3339(kStart + static_cast<std::int64_t>(count_) * 1'000'000);
      const int pred = positive(rng_) ? 1 : 0;
      const int label = correct(rng_) ? pred : 1 - pred;
      const double score = pred == 1 ? 0.5 + 0.5 * u(rng_) : 0.5 * u(rng_);
      predictions["records"].push_back({{"id", id},
                                        {"ts", ts},
                                        {"features", {{"x", x(rng_)}, {"country", count_ % 3 ? "DE" : "FR"}}},
                                        {"prediction", pred},
                                        {"score", score}});
      labels["records"].push_back({{"id", id}, {"label", label}, {"ts", ts}});
    }
  }
  std::size_t count() const { return count_; }
  // Advances data time by `seconds` without records (ids skip as well): a gap in the stream.
  void Skip(std::size_t seconds) { count_ += seconds; }
  // The data time of the next record.
  std::int64_t NextTsUs() const { return kStart + static_cast<std::int64_t>(count_) * 1'000'000; }

  static constexpr std::int64_t kStart = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z

 private:
  std::mt19937_64 rng_;
  std::string prefix_;
  std::size_t count_ = 0;
};

}  // namespace driftgate::test_support
