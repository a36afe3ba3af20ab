// Helpers for the detector tests: reference files, a seeded stream generator, spec construction.
// Functions returning values, no fixtures (Abseil TotW #122).
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
#include "tests/support/sampler.h"

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

// The project's seeded generator and samplers (tests/support/sampler.h): the same streams everywhere.
using StreamRng = test_support::Sampler;

inline std::vector<double> BernoulliStream(StreamRng& rng, std::size_t n, double p) {
  std::vector<double> out(n);
  for (auto& v : out) v = rng.Bernoulli(p) ? 1.0 : 0.0;
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
