// The segment gauges of Telemetry (service/observability/telemetry.h): set from the segments an evaluation
// judged. Only the segments kept by segments.max_segments get series, never the pooled "(other)", so the
// label set is bounded by max_segments per model.
#include <mutex>

#include "core/evaluate/segments.h"
#include "service/evaluation/evaluation.h"
#include "service/observability/telemetry.h"

namespace driftgate::service {

void Telemetry::RecordSegments(const std::string& model, const EvaluationResult& result) {
  if (result.segments.empty()) return;
  std::lock_guard lock(kpi_mu_);
  for (const auto& seg : result.segments) {
    if (seg.segment == evaluate::kOtherSegment) continue;
    segment_breach_.Set(LabelKey({{"model", model}, {"segment", seg.segment}}),
                        seg.state == "breach" ? 1.0 : 0.0);
    for (const auto& k : seg.kpis) {
      const std::string key =
          LabelKey({{"model", model}, {"segment", seg.segment}, {"metric", kpi::MetricName(k.metric)}});
      segment_value_.Set(key, k.estimate.value);
      segment_lower_.Set(key, k.estimate.lower);
      segment_upper_.Set(key, k.estimate.upper);
      segment_samples_.Set(key, static_cast<double>(k.estimate.n));
    }
  }
}

}  // namespace driftgate::service
