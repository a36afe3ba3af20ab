// A small Prometheus registry: counters, gauges and fixed-bucket histograms with label sets, rendered in
// the text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/):
//
//   # HELP driftgate_http_requests_total HTTP requests answered.
//   # TYPE driftgate_http_requests_total counter
//   driftgate_http_requests_total{route="/healthz",method="GET",code="2xx"} 42
//
// Thread-safe and cheap on the hot path. A family maps a label key — the rendered label list with its
// values escaped, e.g. `route="/healthz",method="GET",code="2xx"` — to a series in a hash map guarded by
// striped reader-writer locks: an update takes one stripe (picked per thread) shared and changes the
// series with relaxed atomics, so threads on different cores touch different lock words and never
// serialize; only the first use of a label set (or a removal) takes every stripe exclusively.
//
// Label cardinality is the caller's contract: values come from bounded sets (route patterns, never raw
// paths; model names, bounded by the number of models). Nothing here knows driftgate's metric names:
// service/observability/telemetry.h does.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace driftgate::service {

enum class MetricType { kCounter, kGauge, kHistogram };

using LabelPairs = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// A label value as the format requires: backslash, double quote and line feed escaped (\\, \", \n).
std::string EscapeLabelValue(std::string_view value);
// The label key of a series: `a="x",b="y"` (names as given, values escaped); "" for no labels.
std::string LabelKey(LabelPairs labels);
// A sample value: the shortest decimal that reads back exactly (general form), `+Inf`, `-Inf` or `NaN`.
std::string FormatSampleValue(double value);

class MetricFamily {
 public:
  // `bounds`: a histogram's bucket upper bounds, strictly increasing (the +Inf bucket is implicit).
  MetricFamily(std::string name, std::string help, MetricType type, std::vector<double> bounds = {});
  MetricFamily(const MetricFamily&) = delete;
  MetricFamily& operator=(const MetricFamily&) = delete;

  // Counter (delta >= 0) or gauge.
  void Inc(const std::string& key, double delta = 1.0);
  // Gauge.
  void Set(const std::string& key, double value);
  // Histogram: one observation.
  void Observe(const std::string& key, double value);
  // Creates the series at zero if it does not exist, so that it is exported before its first event.
  void Touch(const std::string& key);

  void Remove(const std::string& key);
  void RemoveIf(const std::function<bool(const std::string& key)>& predicate);

  // A counter's or gauge's value, a histogram's count; nullopt when the series does not exist.
  std::optional<double> Value(const std::string& key) const;

  // Appends HELP, TYPE and every series (in label-key order) to `out`.
  void Render(std::string& out) const;

  const std::string& name() const { return name_; }
  MetricType type() const { return type_; }

 private:
  struct Series {
    explicit Series(std::size_t buckets);
    std::atomic<double> value{0.0};  // counter/gauge value; a histogram's sum
    // Histogram only: per-bucket counts (not cumulative), bounds.size() + 1 of them (the last is +Inf).
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets;
  };
  // Runs `update` on the series of `key` (created when missing) while holding a lock that keeps it alive.
  template <class F>
  void Update(const std::string& key, F&& update);

  struct alignas(64) Stripe {
    std::shared_mutex mu;
  };
  static constexpr std::size_t kStripes = 8;
  std::shared_mutex& ReaderStripe() const;  // this thread's stripe
  void LockAll() const;
  void UnlockAll() const;

  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<double> bounds_;
  mutable std::array<Stripe, kStripes> stripes_{};
  std::unordered_map<std::string, std::unique_ptr<Series>> series_;
};

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Registers a family (names must be unique; registering a name twice returns the first family).
  MetricFamily& Counter(std::string name, std::string help);
  MetricFamily& Gauge(std::string name, std::string help);
  MetricFamily& Histogram(std::string name, std::string help, std::vector<double> bounds);
  MetricFamily* Find(std::string_view name) const;

  // A collector runs at the start of every Render() (e.g. to set a gauge from a cheap query). Collectors
  // never run concurrently with each other or with RemoveCollector(), so an owner that removes its
  // collector in its destructor is safe.
  using CollectorId = std::uint64_t;
  CollectorId AddCollector(std::function<void()> collect);
  void RemoveCollector(CollectorId id);

  // Runs the collectors, then renders every family in registration order.
  std::string Render();

 private:
  MetricFamily& Add(std::string name, std::string help, MetricType type, std::vector<double> bounds);

  mutable std::mutex mu_;  // families_
  std::vector<std::unique_ptr<MetricFamily>> families_{};
  std::mutex collect_mu_;  // collectors_, and the run of collectors
  std::map<CollectorId, std::function<void()>> collectors_{};
  CollectorId next_collector_ = 1;
};

}  // namespace driftgate::service
