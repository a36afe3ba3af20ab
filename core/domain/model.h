// A monitored model's configuration: what API.md's model document means once validated and with
// defaults filled in. Pure data; the service layer parses and prints it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/detect/detector.h"
#include "core/domain/notify.h"
#include "core/kpi/metrics.h"

namespace driftgate::domain {

struct KpiSpec {
  kpi::Metric metric = kpi::Metric::kAccuracy;
  std::optional<double> min{};  // breach when the value is below
  std::optional<double> max{};  // breach when the value is above
};

struct EvaluationSpec {
  std::size_t window = 1000;      // the KPI window: last N labelled pairs
  std::size_t min_samples = 300;  // fewer pairs never confirm a breach
  double confidence = 0.95;       // two-sided interval level
};

struct PolicySpec {
  std::int64_t cooldown_seconds = 3600;  // after a retrain request, in data time
  int max_retrains_per_day = 3;          // within any 24 h of data time
  // Carbon-aware deferral (core/evaluate/deferral.h): a retrain's webhook waits for the lowest-carbon slot of
  // the `grid_region` forecast within this many hours of wall time; 0: sent at once.
  double deferral_hours = 0.0;
  std::string grid_region = "default";
  bool allow_estimated = false;  // a label-free (CBPE) confirmed breach may retrain, not just warn
};

// The data-quality veto (core/evaluate/data_quality.h): a feature is broken on a drift-check window when
// one of its rates (missing, type error, out of range, unseen category) exceeds `max_rate` absolute and
// `min_ratio` times the same rate on the reference; a confirmed KPI breach while any feature is broken
// is suppressed (reason code suppressed:data_quality) instead of retraining on broken input.
struct DataQualitySpec {
  bool enabled = true;
  double max_rate = 0.2;      // absolute rate over the window's rows
  double min_ratio = 5.0;     // and this many times the reference's rate
  double range_margin = 0.1;  // numeric range: reference [min, max] widened by this share of max - min
};

// How the regression error fed to detectors is formed.
enum class ErrorMetric { kAbsolute, kSquared };

// Multivariate drift of each data-drift check's window: PCA reconstruction error against the reference
// (core/stats/reconstruction.h, NannyML's method); an alarm only warns.
struct MultivariateSpec {
  bool enabled = true;
  double variance = 0.65;   // explained-variance share the kept components must exceed, in (0, 1)
  std::size_t chunks = 10;  // reference chunks the threshold (mean -+ 3 std) is taken from
};

// Data drift of features, prediction and score against a reference (DESIGN.md "Two-sample tests").
struct DriftSpec {
  std::size_t reference_size = 5000;  // the first N predictions after creation / a successful retrain
  std::size_t window = 5000;          // the current window: the last N predictions
  std::size_t every = 1000;           // a check after every N predictions
  double share = 0.5;                 // dataset drift when this share of checked columns drifts
  std::map<std::string, std::string> tests{};  // per-column test override (ks, psi, ...)
  std::map<std::string, double> thresholds{};  // per-column threshold override
  MultivariateSpec multivariate{};
};

// How the retrain request is shaped for its receiver (codec/webhook_payload.h renders each).
enum class WebhookFormat { kStandard, kAirflow, kGithub, kArgo, kTemplate };

// An extra request header. A secret one's value is stored apart from the config (like the webhook
// secret) and never returned or logged; `value` is empty for a secret not yet resolved from storage.
struct WebhookHeader {
  std::string name{};
  std::string value{};
  bool secret = false;
};

struct WebhookSpec {
  std::string url{};
  std::string secret{};  // empty: unsigned (a warning is logged at config time)
  WebhookFormat format = WebhookFormat::kStandard;
  std::string dag_id{};         // airflow
  std::string event_type{};     // github
  std::string template_json{};  // template: the JSON template, normalized text
  std::vector<WebhookHeader> headers{};
  // Whether `secret` and the secret headers' values hold their sealed (encrypted) form, as a model
  // loaded from storage does, rather than the plaintext of a request (service/webhooks/webhook_secrets.h).
  bool secrets_sealed = false;
};

// What one retrain costs (API.md "Sustainability and backtests"): energy stated directly, or derived from
// GPU hours x GPU watts x PUE; CO2e = energy x the grid's carbon intensity.
struct RetrainCost {
  std::optional<double> energy_kwh{};  // stated directly, or ...
  std::optional<double> gpu_hours{};   // ... gpu_hours x gpu_watts / 1000 x pue
  std::optional<double> gpu_watts{};
  double pue = 1.0;  // data-centre power usage effectiveness (>= 1)
  double carbon_intensity_g_per_kwh = 0.0;

  double EnergyKwh() const {
    if (energy_kwh) return *energy_kwh;
    return gpu_hours.value_or(0.0) * gpu_watts.value_or(0.0) / 1000.0 * pue;
  }
  double Co2eKg() const { return EnergyKwh() * carbon_intensity_g_per_kwh / 1000.0; }
};

// How long raw predictions and labels are kept. Unset: the server's
// DRIFTGATE_RETENTION_DAYS. Day partitions are shared by all models, so a day is dropped only once every
// model's retention has passed (migrations/V004__partitions.sql).
struct RetentionSpec {
  std::optional<int> raw_days{};
};

// Segments (core/evaluate/segments.h): a KPI window per value of the predictions' `segment`, judged by the
// same confirmed-breach rule at a Bonferroni-adjusted confidence.
enum class SegmentsMode { kOff, kMonitor, kTrigger };
struct SegmentsSpec {
  SegmentsMode mode = SegmentsMode::kMonitor;  // monitor: a confirmed segment breach warns; trigger: retrains
  std::size_t min_samples = 300;   // a segment's pairs needed to confirm a breach (and its reference rows)
  std::size_t max_segments = 100;  // distinct values kept; later ones are pooled as "(other)"
  std::map<std::string, std::vector<KpiSpec>> kpis{};  // per-segment KPIs replacing the model's
};

// The regression estimate's booster parameters (core/dle/dle.h; codec/dle_config.h parses them).
struct DleSpec {
  int rounds = 100;
  int max_depth = 4;
  double eta = 0.1;
  double min_child_weight = 5.0;
  int holdout_every = 4;  // every k-th labelled reference row calibrates the interval
};

struct ModelConfig {
  std::string name{};
  kpi::Task task = kpi::Task::kBinary;
  // The classes predictions and labels may name, canonical (core/domain/classes.h). Binary: empty (the
  // classes are 0 and 1) or two, [negative, positive], stored as 0 and 1. Multiclass: empty (any class)
  // or the complete list.
  std::vector<std::string> classes{};
  std::vector<KpiSpec> kpis{};
  EvaluationSpec evaluation;
  std::vector<detect::Spec> detectors{};
  PolicySpec policy;
  WebhookSpec webhook;
  ErrorMetric error_metric = ErrorMetric::kAbsolute;
  DriftSpec drift{};
  std::optional<RetrainCost> retrain_cost{};  // absent: energy and CO2e are unknown (null)
  double baseline_schedule_days = 7.0;        // the periodic retrain a team would run otherwise
  RetentionSpec retention{};
  DataQualitySpec data_quality{};
  // Alert routing; `notify_set` false: the server-wide default (DRIFTGATE_NOTIFY) applies.
  std::vector<NotifyTarget> notify{};
  bool notify_set = false;
  SegmentsSpec segments{};
  DleSpec dle{};
};

struct Model {
  std::int64_t id = 0;
  ModelConfig config;
  int generation = 1;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
};

}  // namespace driftgate::domain
