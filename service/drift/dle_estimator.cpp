#include "service/drift/dle_estimator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "codec/dle_config.h"
#include "db/dle_repo.h"
#include "db/pool.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

json EncodingJson(const dle::DleModel& m) {
  const auto& c = m.calibration;
  return {{"names", m.encoding.names},
          {"categories", m.encoding.categories},
          {"calibration",
           {{"holdout", c.holdout},
            {"abs_scale", c.abs_scale},
            {"sq_scale", c.sq_scale},
            {"abs_bias", c.abs_bias},
            {"sq_bias", c.sq_bias}}}};
}

// The stored boosters and encoding as a model; nullptr (logged) when they do not load.
std::shared_ptr<const dle::DleModel> ModelFrom(const db::DleFitRow& row, std::int64_t model_id) {
  auto abs = dle::Booster::Load(row.abs_model);
  auto sq = dle::Booster::Load(row.sq_model);
  const json e = json::parse(row.encoding_json, nullptr, false);
  if (!abs.ok() || !sq.ok() || !e.is_object() || !e.contains("calibration")) {
    spdlog::warn("dle: stored fit of model_id={} does not load; refitting at the next reference change",
                 model_id);
    return nullptr;
  }
  const json& c = e["calibration"];
  return std::make_shared<const dle::DleModel>(
      dle::DleModel{.encoding = {.names = e["names"].get<std::vector<std::string>>(),
                                 .categories = e["categories"].get<std::vector<std::vector<std::string>>>()},
                    .abs = std::move(abs).value(),
                    .sq = std::move(sq).value(),
                    .calibration = {.holdout = c["holdout"].get<std::size_t>(),
                                    .abs_scale = c["abs_scale"].get<double>(),
                                    .sq_scale = c["sq_scale"].get<double>(),
                                    .abs_bias = c["abs_bias"].get<double>(),
                                    .sq_bias = c["sq_bias"].get<double>()}});
}

bool IsDleMetric(kpi::Metric m) { return m == kpi::Metric::kMae || m == kpi::Metric::kRmse; }

}  // namespace

bool DleEstimator::Wanted(const domain::ModelConfig& config) {
  return config.task == kpi::Task::kRegression &&
         std::any_of(config.kpis.begin(), config.kpis.end(),
                     [](const domain::KpiSpec& k) { return IsDleMetric(k.metric); });
}

std::uint64_t DleEstimator::fits() const {
  std::lock_guard lock(mu_);
  return fits_;
}

bool DleEstimator::RecountDue(std::int64_t model_id, int reference_version) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  auto [it, added] = counted_.try_emplace(model_id, reference_version, now);
  if (added || it->second.first != reference_version || now - it->second.second >= kRecount) {
    it->second = {reference_version, now};
    return true;
  }
  return false;
}

void DleEstimator::Remember(std::int64_t model_id, std::shared_ptr<const Fitted> fitted) {
  // Bounded: another model's fit is dropped (it is read back from the database when needed again).
  if (cache_.size() >= kMaxCached && !cache_.count(model_id)) cache_.erase(cache_.begin());
  cache_[model_id] = std::move(fitted);
}

std::shared_ptr<const DleEstimator::Fitted> DleEstimator::Stored(pqxx::transaction_base& tx,
                                                                 std::int64_t model_id,
                                                                 const db::DleFitInfo& info) {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(model_id);
    if (it != cache_.end() && it->second->fitted_at_us == info.fitted_at_us &&
        it->second->reference_version == info.reference_version) {
      return it->second;
    }
  }
  const auto row = db::LoadDleFit(tx, model_id);
  if (!row) return nullptr;
  auto model = ModelFrom(*row, model_id);
  if (!model) return nullptr;
  auto fitted = std::make_shared<const Fitted>(Fitted{.reference_version = row->info.reference_version,
                                                      .params = row->info.params,
                                                      .labelled = row->info.labelled,
                                                      .fitted_at_us = row->info.fitted_at_us,
                                                      .model = std::move(model)});
  std::lock_guard lock(mu_);
  Remember(model_id, fitted);
  return fitted;
}

std::shared_ptr<const DleEstimator::Fitted> DleEstimator::Prepare(pqxx::transaction_base& tx,
                                                                  std::int64_t model_id,
                                                                  const domain::ModelConfig& config,
                                                                  int reference_version,
                                                                  std::int64_t reference_count) {
  const std::string params = codec::DleParamsText(config.dle);
  const auto info = db::LoadDleFitInfo(tx, model_id);
  if (info && info->reference_version == reference_version && info->params == params) {
    // Refit only when 10% more of the reference (or all of it) got labelled since.
    if (info->labelled >= reference_count || !RecountDue(model_id, reference_version)) {
      return Stored(tx, model_id, *info);
    }
    const std::int64_t count = db::CountLabelledRegressionReference(tx, model_id);
    if (count <= info->labelled || (count < reference_count && count * 10 < info->labelled * 11)) {
      return Stored(tx, model_id, *info);
    }
  } else if (!RecountDue(model_id, reference_version)) {
    return nullptr;  // tried within kRecount for this reference: too few labelled rows then
  }
  return FitAndStore(tx, model_id, config, reference_version, params);
}

std::shared_ptr<const DleEstimator::Fitted> DleEstimator::FitAndStore(pqxx::transaction_base& tx,
                                                                      std::int64_t model_id,
                                                                      const domain::ModelConfig& config,
                                                                      int reference_version,
                                                                      const std::string& params) {
  const auto rows = db::LoadLabelledRegressionReference(tx, model_id);
  if (rows.size() < dle::kMinFitRows) return nullptr;
  const auto started = std::chrono::steady_clock::now();
  std::vector<WindowRow> parsed;
  parsed.reserve(rows.size());
  std::vector<const dle::FeatureRow*> features;
  std::vector<double> predictions, errors;
  for (const auto& r : rows) parsed.push_back(ParseWindowRow(db::DriftRow{.features_json = r.features_json}));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    // A loss XGBoost cannot learn from (labels and predictions are finite, their difference may not be).
    if (!std::isfinite(rows[i].label - rows[i].prediction)) continue;
    features.push_back(&parsed[i].features);
    predictions.push_back(rows[i].prediction);
    errors.push_back(rows[i].label - rows[i].prediction);
  }
  if (features.size() < dle::kMinFitRows) return nullptr;
  dle::Encoding encoding = dle::Encoding::Build(features);
  const dle::Matrix x = encoding.Encode(features, predictions);
  const auto& s = config.dle;
  const dle::DleParams fit_params{.boost = {.rounds = s.rounds,
                                            .max_depth = s.max_depth,
                                            .eta = s.eta,
                                            .min_child_weight = s.min_child_weight},
                                  .holdout_every = static_cast<std::size_t>(s.holdout_every)};
  auto model = dle::Fit(std::move(encoding), x, errors, fit_params);
  auto abs_bytes = model.ok() ? model->abs.Save() : Result<std::string>(model.error());
  auto sq_bytes = model.ok() ? model->sq.Save() : Result<std::string>(model.error());
  if (!abs_bytes.ok() || !sq_bytes.ok()) {
    spdlog::warn("dle: fit failed for model_id={}: {}", model_id,
                 (abs_bytes.ok() ? sq_bytes : abs_bytes).error().message);
    return nullptr;
  }
  db::DleFitRow row;
  row.info.reference_version = reference_version;
  row.info.params = params;
  row.info.labelled = static_cast<std::int64_t>(rows.size());  // all labelled rows, as counted for refits
  row.abs_model = std::move(abs_bytes).value();
  row.sq_model = std::move(sq_bytes).value();
  row.encoding_json = EncodingJson(*model).dump();
  row.info.fitted_at_us = db::SaveDleFit(tx, model_id, row);
  auto fitted = std::make_shared<const Fitted>(
      Fitted{.reference_version = reference_version,
             .params = params,
             .labelled = row.info.labelled,
             .fitted_at_us = row.info.fitted_at_us,
             .model = std::make_shared<const dle::DleModel>(std::move(model).value())});
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
          .count();
  spdlog::info("dle fit: model={} rows={} features={} ms={}", config.name, rows.size(),
               fitted->model->encoding.names.size(), ms);
  if (telemetry_) {
    telemetry_->registry()
        .Counter("driftgate_dle_fits_total", "Regression loss models (DLE) fitted by this process.")
        .Inc(LabelKey({{"model", config.name}}));
  }
  std::lock_guard lock(mu_);
  ++fits_;
  Remember(model_id, fitted);
  return fitted;
}

std::vector<std::pair<kpi::Metric, kpi::Estimate>> DleEstimator::Estimate(const Fitted& fitted,
                                                                          const std::deque<WindowRow>& rows,
                                                                          const domain::ModelConfig& config) {
  std::vector<std::pair<kpi::Metric, kpi::Estimate>> out;
  std::vector<const dle::FeatureRow*> features;
  std::vector<double> predictions;
  for (const auto& r : rows) {
    if (!r.pred_value) continue;
    features.push_back(&r.features);
    predictions.push_back(*r.pred_value);
  }
  if (features.empty()) return out;
  const dle::Matrix x = fitted.model->encoding.Encode(features, predictions);
  auto e = dle::Estimate(*fitted.model, x, config.evaluation.confidence);
  if (!e.ok()) {
    spdlog::warn("dle: estimate failed for model={}: {}", config.name, e.error().message);
    return out;
  }
  for (const auto& spec : config.kpis) {
    if (spec.metric == kpi::Metric::kMae) out.emplace_back(spec.metric, e->mae);
    if (spec.metric == kpi::Metric::kRmse) out.emplace_back(spec.metric, e->rmse);
  }
  return out;
}

}  // namespace driftgate::service
