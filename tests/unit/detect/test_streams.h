// Helpers for the detector tests: reference files, a seeded stream generator, spec construction.
// Functions returning values, no fixtures (STYLE.md, TotW #122).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/detect/detector.h"
#include "core/detect/replay.h"

namespace driftgate::detect::testing {

inline std::filesystem::path RiverDataDir() { return std::filesystem::path(DRIFTGATE_TEST_DATA) / "river"; }

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::vector<double> ReadNumbers(const std::filesystem::path& path) {
  auto values = ParseNumberLines(ReadFile(path));
  EXPECT_TRUE(values.ok()) << path << ": " << (values.ok() ? "" : values.error().message);
  return values.ok() ? values.value() : std::vector<double>{};
}

inline nlohmann::json ReadJson(const std::filesystem::path& path) {
  return nlohmann::json::parse(ReadFile(path));
}

// The reference file's "params" as a Spec (JSON null = the peer's "not given", skipped).
inline Spec SpecFromReference(const nlohmann::json& reference) {
  Spec spec;
  spec.type = reference.at("detector").get<std::string>();
  for (const auto& [key, value] : reference.at("params").items()) {
    if (value.is_null()) continue;
    if (value.is_boolean()) {
      spec.params[key] = value.get<bool>();
    } else if (value.is_number()) {
      spec.params[key] = value.get<double>();
    } else {
      spec.params[key] = value.get<std::string>();
    }
  }
  return spec;
}

inline std::unique_ptr<Detector> MakeOrDie(const Spec& spec) {
  auto detector = Make(spec);
  EXPECT_TRUE(detector.ok()) << (detector.ok() ? "" : detector.error().message);
  return detector.ok() ? std::move(detector).value() : nullptr;
}

inline std::unique_ptr<Detector> MakeOrDie(const std::string& text) {
  auto spec = ParseSpec(text);
  EXPECT_TRUE(spec.ok()) << text;
  return MakeOrDie(spec.value());
}

// SplitMix64-based generator: the same streams on every platform and standard library.
class StreamRng {
 public:
  explicit StreamRng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Bernoulli(double p) { return Uniform() < p ? 1.0 : 0.0; }
  double Gaussian(double mean, double sd) {  // Box–Muller
    const double u1 = 1.0 - Uniform();
    const double u2 = Uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  std::uint64_t state_;
};

inline std::vector<double> BernoulliStream(StreamRng& rng, std::size_t n, double p) {
  std::vector<double> out(n);
  for (auto& v : out) v = rng.Bernoulli(p);
  return out;
}

inline std::vector<double> GaussianStream(StreamRng& rng, std::size_t n, double mean, double sd) {
  std::vector<double> out(n);
  for (auto& v : out) v = rng.Gaussian(mean, sd);
  return out;
}

inline std::vector<double> Concat(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Index of the first drift at or after `from`, or -1.
inline long FirstDriftFrom(const ReplayResult& result, std::size_t from) {
  for (const std::size_t i : result.drifts) {
    if (i >= from) return static_cast<long>(i);
  }
  return -1;
}

inline std::size_t DriftsBefore(const ReplayResult& result, std::size_t before) {
  std::size_t count = 0;
  for (const std::size_t i : result.drifts) count += i < before ? 1 : 0;
  return count;
}

}  // namespace driftgate::detect::testing
