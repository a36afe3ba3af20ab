// Scripted prediction/label streams for scenario tests: deterministic (seeded, the project's own generator
// and samplers, so outcomes do not depend on the standard library), data time advancing one second per
// record from a fixed start.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/domain/time.h"
#include "tests/support/sampler.h"

namespace driftgate::test_support {

class BinaryStream {
 public:
  explicit BinaryStream(std::uint64_t seed, std::string id_prefix = "r")
      : rng_(seed), prefix_(std::move(id_prefix)) {}

  // The next `n` records at accuracy `p`; feature `x` ~ N(shift, 1). Fills both batches.
  void Next(std::size_t n, double p, nlohmann::json& predictions, nlohmann::json& labels,
            double shift = 0.0) {
    predictions = {{"records", nlohmann::json::array()}};
    labels = {{"records", nlohmann::json::array()}};
    for (std::size_t i = 0; i < n; ++i, ++count_) {
      const std::string id = prefix_ + std::to_string(count_);
      const std::string ts = domain::FormatRfc3339(kStart + static_cast<std::int64_t>(count_) * 1'000'000);
      const int pred = rng_.Bernoulli(0.5) ? 1 : 0;
      const int label = rng_.Bernoulli(p) ? pred : 1 - pred;
      const double score = pred == 1 ? 0.5 + 0.5 * rng_.Uniform() : 0.5 * rng_.Uniform();
      predictions["records"].push_back(
          {{"id", id},
           {"ts", ts},
           {"features", {{"x", rng_.Gaussian(shift, 1.0)}, {"country", count_ % 3 ? "DE" : "FR"}}},
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
  Sampler rng_;
  std::string prefix_;
  std::size_t count_ = 0;
};

}  // namespace driftgate::test_support
