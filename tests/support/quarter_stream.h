// A model's traffic in data time, day by day, as in a simulated quarter: about `per_day` predictions a day
// evenly spaced (300 a day: one every 288 s), each labelled the same day. Features x1, x2 (numeric) and
// country (categorical); per day, the share of predictions whose x2 arrives null and the accuracy of the
// predictions with x2 present and with x2 null are scripted.
//
// Deterministic everywhere: its own SplitMix64 generator (Steele, Lea & Flood 2014) and plain arithmetic on
// its output — no std:: distribution, whose algorithms differ between standard libraries.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/domain/time.h"

namespace driftgate::test_support {

// SplitMix64: a 64-bit state advanced by a Weyl constant, mixed by two multiply-xorshift rounds.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1): the top 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }

 private:
  std::uint64_t state_;
};

struct DayScript {
  double null_share = 0.0;         // predictions whose x2 is null
  double accuracy_present = 0.92;  // accuracy of the predictions with x2
  double accuracy_null = 0.92;     // accuracy of the predictions with x2 null
};

class QuarterStream {
 public:
  QuarterStream(std::uint64_t seed, std::size_t per_day = 300) : rng_(seed), per_day_(per_day) {}

  // The next day's predictions and labels (one batch each).
  void Day(const DayScript& script, nlohmann::json& predictions, nlohmann::json& labels) {
    predictions = {{"records", nlohmann::json::array()}};
    labels = {{"records", nlohmann::json::array()}};
    const std::int64_t step_us = 86'400'000'000 / static_cast<std::int64_t>(per_day_);
    for (std::size_t i = 0; i < per_day_; ++i) {
      const std::string id = "q" + std::to_string(count_++);
      const std::string ts =
          domain::FormatRfc3339(kStart + day_ * 86'400'000'000 + static_cast<std::int64_t>(i) * step_us);
      const bool x2_null = rng_.Chance(script.null_share);
      const bool correct = rng_.Chance(x2_null ? script.accuracy_null : script.accuracy_present);
      const int pred = rng_.Chance(0.5) ? 1 : 0;
      const double score = pred == 1 ? 0.5 + 0.5 * rng_.Uniform() : 0.5 * rng_.Uniform();
      nlohmann::json features = {{"x1", 10.0 * rng_.Uniform()},
                                 {"x2", 100.0 + 50.0 * rng_.Uniform()},
                                 {"country", rng_.Chance(0.3) ? "FR" : "DE"}};
      if (x2_null) features["x2"] = nullptr;
      predictions["records"].push_back({{"id", id},
                                        {"ts", ts},
                                        {"features", std::move(features)},
                                        {"prediction", pred},
                                        {"score", score}});
      labels["records"].push_back({{"id", id}, {"label", correct ? pred : 1 - pred}, {"ts", ts}});
    }
    ++day_;
  }

  std::int64_t day() const { return day_; }
  static constexpr std::int64_t kStart = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z

 private:
  SplitMix64 rng_;
  std::size_t per_day_;
  std::size_t count_ = 0;
  std::int64_t day_ = 0;
};

}  // namespace driftgate::test_support
