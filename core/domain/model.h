// A monitored model's configuration: what API.md's model document means once validated and with
// defaults filled in. Pure data; the service layer parses and prints it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/detect/detector.h"
#include "core/kpi/metrics.h"

namespace driftgate::domain {

struct KpiSpec {
  kpi::Metric metric = kpi::Metric::kAccuracy;
  std::optional<double> min{};  // breach when the value is below
  std::optional<double> max{};  // breach when the value is above
};

struct EvaluationSpec {
  std::size_t window = 1000;       // the KPI window: last N labelled pairs
  std::size_t min_samples = 300;   // fewer pairs never confirm a breach
  double confidence = 0.95;        // two-sided interval level
};

struct PolicySpec {
  std::int64_t cooldown_seconds = 3600;  // after a retrain request, in data time
  int max_retrains_per_day = 3;          // within any 24 h of data time
};

// How the regression error fed to detectors is formed.
enum class ErrorMetric { kAbsolute, kSquared };

// Data drift of features, prediction and score against a reference (DESIGN.md "Two-sample tests").
struct DriftSpec {
  std::size_t reference_size = 5000;  // the first N predictions after creation / a successful retrain
  std::size_t window = 5000;          // the current window: the last N predictions
  std::size_t every = 1000;           // a check after every N predictions
  double share = 0.5;                 // dataset drift when this share of checked columns drifts
  std::map<std::string, std::string> tests{};       // per-column test override (ks, psi, ...)
  std::map<std::string, double> thresholds{};       // per-column threshold override
};

struct WebhookSpec {
  std::string url{};
  std::string secret{};  // empty: unsigned (a warning is logged at config time)
};

struct ModelConfig {
  std::string name{};
  kpi::Task task = kpi::Task::kBinary;
  std::vector<KpiSpec> kpis{};
  EvaluationSpec evaluation;
  std::vector<detect::Spec> detectors{};
  PolicySpec policy;
  WebhookSpec webhook;
  ErrorMetric error_metric = ErrorMetric::kAbsolute;
  DriftSpec drift{};
};

struct Model {
  std::int64_t id = 0;
  ModelConfig config;
  int generation = 1;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
};

}  // namespace driftgate::domain
