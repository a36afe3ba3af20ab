// Data and prediction drift against a reference (issue "Data and prediction drift"): every
// `drift.every` predictions, the last `drift.window` predictions are compared column by column (each
// feature, `prediction`, and `score`) with the reference using the tests of core/stats. Each check stores
// one drift event (kind "data") with a result per column, most drifted first, and the dataset verdict;
// a dataset drift gives a `warn` decision naming the top columns — never a retrain.
//
// The same check (same worker, same window) also judges the window's data quality against the reference
// (core/evaluate/data_quality.h; the verdict is stored for the live evaluation's veto and exported as
// driftgate_data_quality_incident{model}) and, for binary models with scores, estimates the KPIs without
// labels (CBPE, core/kpi/cbpe.h: isotonic calibration on the labelled reference, needing at least
// kMinCalibrationPairs of them); the estimate is stored in estimated_metrics and a confirmed estimated
// breach gives a `warn` decision (core/evaluate/estimated.h) — a retrain only with policy.allow_estimated.
// Regression models with an mae or rmse KPI get the same series and judgement from direct loss estimation
// (DLE, core/dle/dle.h): boosters fitted on the labelled reference, stored with it
// (service/drift/dle_estimator.h).
//
// Checks run on a background worker so ingest never waits for them; a per-model try-lock lets exactly one
// replica check a model at a time. Memory stays bounded: a check holds one window and one reference, and
// at most `reference_cache` parsed references are cached (keyed by the reference's version).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "core/domain/model.h"
#include "core/domain/records.h"
#include "core/error.h"
#include "core/evaluate/data_quality.h"
#include "core/stats/two_sample.h"
#include "db/drift_repo.h"
#include "db/pool.h"
#include "db/quality_repo.h"
#include "service/drift/dle_estimator.h"
#include "service/drift/drift_judgement.h"
#include "service/drift/drift_window.h"
#include "service/drift/reference_uploads.h"
#include "service/lifecycle/periodic_worker.h"
#include "service/observability/telemetry.h"

namespace driftgate::service {

struct DriftMonitorOptions {
  std::size_t reference_cache = 32;  // parsed references kept in memory
  Telemetry* telemetry = nullptr;    // optional: counts checks and the warn decisions they write
};

class DriftMonitor : public ReferenceUploads {
 public:
  DriftMonitor(db::Pool& pool, DriftMonitorOptions options);
  ~DriftMonitor() override;
  DriftMonitor(const DriftMonitor&) = delete;
  DriftMonitor& operator=(const DriftMonitor&) = delete;

  void Start();
  void Stop();
  // Asks the worker to check `model_id` (deduplicated while queued).
  void Enqueue(std::int64_t model_id);

  // Runs a check on the caller's thread when one is due (or `force`); true when a check was stored.
  Result<bool> Check(std::int64_t model_id, bool force = false);

  Result<std::int64_t> UploadReference(const std::string& model,
                                       std::vector<domain::PredictionRecord> records,
                                       const std::string& actor) override;

  std::uint64_t checks() const;
  // The regression estimate (DLE): its fits are counted there.
  const DleEstimator& dle() const { return dle_; }

 private:
  // What every judgement of one check reads.
  struct CheckContext {
    std::int64_t model_id = 0;
    domain::Model model;
    db::DriftState state;
    std::shared_ptr<const ReferenceData> reference;
  };
  // What a stored check reports to telemetry after commit.
  struct CheckOutcome {
    std::string model_name{};
    bool drifted = false;
    bool warned = false;
    std::vector<std::string> decisions{};  // actions of the decisions written
    std::optional<evaluate::QualityVerdict> quality{};
    bool multivariate_alert = false;
  };
  // One judgement each (drift_monitor.cpp); CheckIn runs them in order inside the check's transaction.
  std::optional<CheckContext> PrepareCheck(pqxx::transaction_base& tx, std::int64_t model_id, bool force,
                                           std::optional<Error>& error);
  Result<bool> CheckIn(pqxx::transaction_base& tx, std::int64_t model_id, bool force, CheckOutcome& outcome);
  // The parts of a data-drift event that its decisions cite in their detectors, as JSON text.
  struct DriftDetail {
    std::string dataset_json{};
    std::string data_quality_json{};
  };
  static DriftDetail RecordDataDrift(pqxx::transaction_base& tx, const CheckContext& c,
                                     const stats::DatasetDrift& result, const WindowSummary& window);
  static bool WarnDataDrift(pqxx::transaction_base& tx, const CheckContext& c,
                            const stats::DatasetDrift& result, const DriftDetail& detail, std::int64_t at_us);
  static void JudgeDataQuality(pqxx::transaction_base& tx, const CheckContext& c,
                               const evaluate::QualityVerdict& quality, const DriftDetail& detail,
                               std::int64_t at_us, CheckOutcome& outcome);
  using Estimates = std::vector<std::pair<kpi::Metric, kpi::Estimate>>;
  // `regression`: the DLE estimate of a regression model's window (empty otherwise).
  void JudgeEstimate(pqxx::transaction_base& tx, const CheckContext& c, const WindowSummary& window,
                     const Estimates& regression, CheckOutcome& outcome);
  // The multivariate (PCA reconstruction error) result: a drift event of kind "multivariate", and a `warn`
  // when an alarm starts (drift_multivariate.cpp).
  static void JudgeMultivariate(pqxx::transaction_base& tx, const CheckContext& c,
                                const WindowSummary& window, CheckOutcome& outcome);
  // Binary or multiclass CBPE of the window; `used` the rows estimated, `per_class` (multiclass) the
  // per-class precision and recall as JSON.
  Estimates CbpeEstimates(pqxx::transaction_base& tx, const CheckContext& c, const WindowSummary& window,
                          std::size_t& used, std::string& per_class);
  void PublishCheck(const CheckOutcome& outcome);
  using LabelledRows = std::shared_ptr<const std::vector<db::LabelledReferenceRow>>;
  // The labelled reference pairs of a model's CBPE calibration. Once every scored reference row has its
  // label they cannot change until the reference version does; until then they are reloaded at most every
  // kLabelledReload (labels arrive late; the query is one index probe per reference row).
  struct Labelled {
    int version = 0;
    bool complete = false;
    std::chrono::steady_clock::time_point loaded{};
    LabelledRows rows{};
  };
  static constexpr std::chrono::seconds kLabelledReload{10};
  LabelledRows LabelledReference(pqxx::transaction_base& tx, std::int64_t model_id, int version,
                                 std::size_t scored);
  // One pass of the background thread: the check of the model queued first.
  std::chrono::milliseconds Pass();
  // The cached reference of `version`, fitted with `multivariate` (a changed spec refits).
  std::shared_ptr<const ReferenceData> Reference(std::int64_t model_id, int version,
                                                 const domain::MultivariateSpec& multivariate,
                                                 const std::function<ReferenceData()>& load);

  db::Pool& pool_;
  DriftMonitorOptions options_;
  mutable std::mutex mu_;
  std::deque<std::int64_t> queue_;
  std::set<std::int64_t> queued_;
  std::uint64_t checks_ = 0;
  // LRU of parsed references: model id → (version, columns).
  std::list<std::int64_t> lru_;
  std::map<std::int64_t, std::pair<int, std::shared_ptr<const ReferenceData>>> cache_;
  std::map<std::int64_t, Labelled> labelled_;  // same keys as cache_ (evicted with it)
  DriftWindows windows_{};  // the current windows of recently checked models, parsed (drift_window.h)
  DleEstimator dle_;        // the regression estimate's fitted boosters per model (dle_estimator.h)
  BackgroundWorker worker_{"data drift monitor"};  // last: stops before the members its passes use
};

// Whether a check is due after `received` predictions since the baseline (shared with ingest).
bool DriftCheckDue(std::int64_t received, std::int64_t last_check_received, std::int64_t reference_count,
                   bool auto_reference, std::size_t reference_size, std::size_t every);

}  // namespace driftgate::service
