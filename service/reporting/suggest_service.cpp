#include "service/reporting/suggest_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <pqxx/pqxx>

#include "db/suggest_repo.h"
#include "service/reporting/replay_setup.h"

namespace driftgate::service {
namespace {

// The model's config with the chosen metrics' thresholds replaced by the suggested ones (a metric without a
// suggestion keeps its configured threshold, or is left out); records each kept metric's source in
// `in_config`. nullopt when no KPI remains.
std::optional<domain::ModelConfig> SuggestedConfig(
    const domain::ModelConfig& current, const std::vector<kpi::Metric>& chosen,
    const std::vector<evaluate::ThresholdSuggestion>& suggestions,
    std::vector<std::pair<kpi::Metric, std::string>>& in_config) {
  domain::ModelConfig config = current;
  config.kpis.clear();
  for (const auto metric : chosen) {
    const auto s = std::find_if(suggestions.begin(), suggestions.end(),
                                [&](const evaluate::ThresholdSuggestion& x) { return x.metric == metric; });
    const auto configured = std::find_if(current.kpis.begin(), current.kpis.end(),
                                         [&](const domain::KpiSpec& k) { return k.metric == metric; });
    if (s != suggestions.end() && s->threshold) {
      config.kpis.push_back(*s->threshold);
      in_config.emplace_back(metric, "suggested");
    } else if (configured != current.kpis.end()) {
      config.kpis.push_back(*configured);
      in_config.emplace_back(metric, "current");
    }
  }
  if (config.kpis.empty()) return std::nullopt;
  return config;
}

// The metrics the suggested config monitors: the request's, else the model's; each must apply to the task.
Result<std::vector<kpi::Metric>> ChosenMetrics(const domain::ModelConfig& config,
                                               const SuggestRequest& request) {
  std::vector<kpi::Metric> chosen;
  for (const auto& k : config.kpis) chosen.push_back(k.metric);
  if (request.kpis) chosen = *request.kpis;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (!kpi::MetricAppliesTo(chosen[i], config.task)) {
      const std::string field = "kpis[" + std::to_string(i) + "]";
      return Error::Invalid(field, field + ": " + std::string(kpi::MetricName(chosen[i])) +
                                       " does not apply to " + std::string(kpi::TaskName(config.task)));
    }
  }
  return chosen;
}

}  // namespace

Result<SuggestReport> SuggestService::Run(const std::string& model_name, const SuggestRequest& request) {
  SuggestReport out{.model = model_name,
                    .from_reference = !request.from_us && !request.to_us,
                    .tolerance = request.tolerance};
  auto st = InModelSnapshot(
      pool_, model_name, [&](pqxx::transaction_base& tx, const domain::Model& model) -> Status {
        const domain::ModelConfig& config = model.config;
        auto chosen = ChosenMetrics(config, request);
        if (!chosen.ok()) return chosen.error();

        std::vector<evaluate::LabeledEvent> events;
        DataSpan span;
        if (out.from_reference) {
          events = db::LoadReferencePairs(tx, model.id);
          span.Add(events);
        } else {
          ForEachReplayBatch(tx, model.id, request.from_us, request.to_us, span,
                             [&](std::span<const evaluate::LabeledEvent> batch) {
                               events.insert(events.end(), batch.begin(), batch.end());
                             });
        }
        std::vector<kpi::Pair> pairs;
        pairs.reserve(events.size());
        for (auto& e : events) pairs.push_back(std::move(e.pair));
        out.task = config.task;
        out.from_us = out.from_reference ? span.first_us : request.from_us;
        out.to_us = out.from_reference ? span.last_us : request.to_us;
        out.pairs = pairs.size();
        out.confidence = config.evaluation.confidence;
        out.suggestions =
            evaluate::SuggestThresholds(config.task, pairs, config.evaluation.confidence, request.tolerance);
        out.config = SuggestedConfig(config, *chosen, out.suggestions, out.in_config);
        if (out.config) {
          auto ran =
              RunBacktestIn(tx, model, *out.config, {.assume_retrain_hours = request.assume_retrain_hours});
          if (!ran.ok()) return ran.error();
          out.backtest = std::move(ran).value();
        }
        return Ok{};
      });
  if (!st.ok()) return st.error();
  spdlog::info("suggest: model={} baseline={} pairs={}", model_name,
               out.from_reference ? "reference" : "period", out.pairs);
  return out;
}

}  // namespace driftgate::service
