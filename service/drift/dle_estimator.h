// The label-free estimate of a regression model's MAE and RMSE in its drift checks: direct loss estimation
// (core/dle/dle.h) with boosters fitted on the model's labelled reference and stored with it
// (db/dle_repo.h, migrations/V021__dle_models.sql).
//
// A fit is made when a check finds none for the current reference, or the stored one is stale: the
// reference's version changed (a new or uploaded reference), the model's `dle` parameters changed, or more
// labels of the reference arrived since (labels come late: the labelled rows are recounted at most every
// kRecount while some are missing, and a fit is redone once 10% more, or all, are labelled). Fitting needs
// dle::kMinFitRows labelled reference rows with a predicted value. Any replica or a restarted server reads
// the stored boosters (loaded once per fit, then cached) and never refits them: fits() counts the fits this
// process made, and the log says "dle fit" with the model and the row count.
//
// Checks of one model never run concurrently (the drift check's advisory try-lock), so two replicas never
// fit the same reference at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "core/dle/dle.h"
#include "core/domain/model.h"
#include "core/kpi/metrics.h"
#include "db/dle_repo.h"
#include "service/drift/drift_window.h"
#include "service/observability/telemetry.h"

namespace driftgate::service {

class DleEstimator {
 public:
  struct Fitted {
    int reference_version = 0;
    std::string params{};
    std::int64_t labelled = 0;
    std::int64_t fitted_at_us = 0;
    std::shared_ptr<const dle::DleModel> model{};
  };

  explicit DleEstimator(Telemetry* telemetry = nullptr) : telemetry_(telemetry) {}

  // Whether `config` asks for a regression estimate (a regression model with an mae or rmse KPI).
  static bool Wanted(const domain::ModelConfig& config);

  // The fit for the model's current reference (`reference_version`, `reference_count` rows): the stored
  // one, or a new one stored now; nullptr while too few reference rows are labelled. Throws what the
  // database or XGBoost throws (the check's transaction rolls back).
  std::shared_ptr<const Fitted> Prepare(pqxx::transaction_base& tx, std::int64_t model_id,
                                        const domain::ModelConfig& config, int reference_version,
                                        std::int64_t reference_count);

  // The configured mae/rmse KPIs estimated over the window's rows that have a predicted value.
  static std::vector<std::pair<kpi::Metric, kpi::Estimate>> Estimate(const Fitted& fitted,
                                                                     const std::deque<WindowRow>& rows,
                                                                     const domain::ModelConfig& config);

  std::uint64_t fits() const;

 private:
  static constexpr std::chrono::seconds kRecount{10};
  static constexpr std::size_t kMaxCached = 64;  // fits kept in memory (a few hundred KB each at most)
  void Remember(std::int64_t model_id, std::shared_ptr<const Fitted> fitted);  // under mu_
  // True (and noted) when the labelled rows of this reference were not counted within kRecount.
  bool RecountDue(std::int64_t model_id, int reference_version);
  std::shared_ptr<const Fitted> Stored(pqxx::transaction_base& tx, std::int64_t model_id,
                                       const db::DleFitInfo& info);
  std::shared_ptr<const Fitted> FitAndStore(pqxx::transaction_base& tx, std::int64_t model_id,
                                            const domain::ModelConfig& config, int reference_version,
                                            const std::string& params);

  Telemetry* telemetry_;
  mutable std::mutex mu_;
  std::map<std::int64_t, std::shared_ptr<const Fitted>> cache_{};
  // Per model: the reference version and time of the last count of its labelled rows.
  std::map<std::int64_t, std::pair<int, std::chrono::steady_clock::time_point>> counted_{};
  std::uint64_t fits_ = 0;
};

}  // namespace driftgate::service
