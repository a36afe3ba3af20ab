// Threshold suggestions (POST /v1/models/{model}/suggest, `driftgate suggest`): from a labelled baseline,
// every KPI of the model's task with its value and confidence interval — kpi::Compute at the model's
// evaluation.confidence, the same estimate and interval the live evaluation reports — and a threshold per
// KPI by the rule of core/evaluate/threshold_suggestion.h. The model's config with the suggested thresholds
// is replayed over all stored history by the policy backtest (service/reporting/backtest_service.h) in the
// same read-only snapshot, so the attached backtest is what POST .../backtest answers for that config. Writes
// nothing and sends nothing.
//
// The baseline: by default the model's data-drift reference (the first reference.size predictions after
// creation or the last successful retrain, or an uploaded reference) restricted to its labelled records;
// with `from` and/or `to`, every labelled pair whose label's data time is in [from, to), as the backtest
// selects them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/threshold_suggestion.h"
#include "db/handles.h"
#include "service/reporting/backtest_service.h"

namespace driftgate::service {

struct SuggestRequest {
  std::optional<std::int64_t> from_us{};  // labels' data time; both absent: the reference
  std::optional<std::int64_t> to_us{};
  evaluate::Tolerance tolerance{};
  // The metrics the suggested config monitors; absent: the model's configured KPIs.
  std::optional<std::vector<kpi::Metric>> kpis{};
  double assume_retrain_hours = 1.0;  // passed to the attached backtest
};

// Rendered by api/dto/suggest.h (openapi.yaml ThresholdSuggestion).
struct SuggestReport {
  std::string model{};
  kpi::Task task{};
  bool from_reference = true;             // the baseline: the reference, or the request's period
  std::optional<std::int64_t> from_us{};  // the reference's data span, or the request's bounds
  std::optional<std::int64_t> to_us{};
  std::size_t pairs = 0;  // labelled pairs in the baseline
  double confidence = 0.95;
  evaluate::Tolerance tolerance{};
  std::vector<evaluate::ThresholdSuggestion> suggestions{};  // every metric of the task
  // Each metric of `config` and where its threshold comes from: "suggested" or "current".
  std::vector<std::pair<kpi::Metric, std::string>> in_config{};
  std::optional<domain::ModelConfig> config{};  // the model's config with the thresholds; none: no KPI left
  std::optional<BacktestReport> backtest{};     // `config` replayed over all stored history
};

class SuggestService {
 public:
  explicit SuggestService(db::Pool& pool) : pool_(pool) {}

  // InvalidArgument on `kpis[i]` for a metric that does not apply to the model's task.
  Result<SuggestReport> Run(const std::string& model, const SuggestRequest& request);

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service
