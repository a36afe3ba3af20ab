#include "service/drift/segment_drift.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "db/evaluation_repo.h"
#include "db/segments_repo.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

// The drift spec a segment is judged with: p-value thresholds divided by k (the header's Bonferroni rule).
domain::DriftSpec AdjustedSpec(const domain::DriftSpec& spec, const ReferenceData& reference,
                               const WindowSummary& window, std::size_t k) {
  domain::DriftSpec adjusted = spec;
  for (const auto& [column, unused] : window.samples) {
    std::optional<stats::Test> test;
    if (const auto it = spec.tests.find(column); it != spec.tests.end()) test = stats::ParseTest(it->second);
    if (!test) test = stats::DefaultTestFor(reference.columns.at(column));
    if (!stats::IsPValue(*test)) continue;
    const auto it = spec.thresholds.find(column);
    const double threshold = it != spec.thresholds.end() ? it->second : stats::DefaultThreshold(*test);
    adjusted.thresholds[column] = threshold / static_cast<double>(k);
  }
  return adjusted;
}

// The segments a check looks at, with their window rows: the max_segments with the most rows.
std::vector<std::pair<std::string, std::deque<WindowRow>>> WindowSlices(const std::deque<WindowRow>& rows) {
  std::map<std::string, std::deque<WindowRow>> by_segment;
  for (const auto& r : rows) {
    if (r.segment) by_segment[*r.segment].push_back(r);
  }
  std::vector<std::pair<std::string, std::deque<WindowRow>>> slices;
  for (auto& [name, slice] : by_segment) slices.emplace_back(name, std::move(slice));
  std::stable_sort(slices.begin(), slices.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  return slices;
}

json FeatureJson(const stats::FeatureDrift& f) {
  json o{{"feature", f.feature},
         {"test", stats::TestName(f.result.test)},
         {"statistic", f.result.statistic},
         {"threshold", f.result.threshold},
         {"drifted", f.result.drift}};
  o["p_value"] = f.result.p_value ? json(*f.result.p_value) : json(nullptr);
  return o;
}

json DetailJson(const SegmentDrift& s, const std::string& source, std::size_t judged) {
  json detail{{"reference", {{"source", source}, {"size", s.reference_rows}}},
              {"current_size", s.window_rows},
              {"judged", s.drift.has_value()}};
  if (!s.drift) {
    detail["reason"] = s.not_judged;
    return detail;
  }
  json features = json::array();
  for (const auto& f : s.drift->features) features.push_back(FeatureJson(f));
  detail["dataset"] = {{"drift", s.drift->drift},
                       {"share", s.drift->share},
                       {"drifted", s.drift->drifted},
                       {"columns", s.drift->features.size()},
                       {"drift_share", s.drift->drift_share}};
  detail["features"] = std::move(features);
  detail["segments_judged"] = judged;  // k: p-value thresholds are divided by it
  return detail;
}

}  // namespace

Result<SegmentsDrift> JudgeSegmentDrift(const domain::ModelConfig& config, const ReferenceData& reference,
                                        const std::deque<WindowRow>& rows) {
  SegmentsDrift out;
  if (config.segments.mode == domain::SegmentsMode::kOff) return out;
  auto slices = WindowSlices(rows);
  const std::size_t min_rows = config.segments.min_samples;
  std::vector<std::size_t> judged;  // indexes into slices
  for (std::size_t i = 0; i < slices.size(); ++i) {
    const auto& [name, slice] = slices[i];
    const auto ref = reference.segment_rows.find(name);
    SegmentDrift s{.segment = name,
                   .reference_rows = ref == reference.segment_rows.end() ? 0 : ref->second.size(),
                   .window_rows = slice.size()};
    if (i >= config.segments.max_segments) {
      s.not_judged = "beyond segments.max_segments (" + std::to_string(config.segments.max_segments) +
                     " segments with the most window rows are judged)";
    } else if (s.reference_rows < min_rows) {
      s.not_judged = "the reference has " + std::to_string(s.reference_rows) +
                     " rows of this segment, fewer than segments.min_samples (" + std::to_string(min_rows) +
                     ")";
    } else if (s.window_rows < kMinValuesPerColumn) {
      s.not_judged = "the window has " + std::to_string(s.window_rows) +
                     " rows of this segment, fewer than " + std::to_string(kMinValuesPerColumn);
    } else {
      judged.push_back(i);
    }
    out.segments.push_back(std::move(s));
  }
  out.judged = judged.size();
  for (const std::size_t i : judged) {
    const ReferenceData slice_reference =
        BuildReference(reference.segment_rows.at(slices[i].first), config.task);
    WindowSummary window =
        SummarizeWindow(slices[i].second, slice_reference, config.task, config.data_quality);
    const domain::DriftSpec spec = AdjustedSpec(config.drift, slice_reference, window, out.judged);
    auto drift = JudgeDataDrift(slice_reference, window, spec);
    if (!drift.ok()) return drift.error();
    out.segments[i].drift = std::move(drift).value();
  }
  std::sort(out.segments.begin(), out.segments.end(),
            [](const SegmentDrift& a, const SegmentDrift& b) { return a.segment < b.segment; });
  return out;
}

void RecordSegmentDrift(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                        const std::string& source, const SegmentsDrift& drift) {
  for (const auto& s : drift.segments) {
    db::InsertSegmentDriftEvent(tx, model_id, at_us, s.segment, DetailJson(s, source, drift.judged).dump());
  }
}

}  // namespace driftgate::service
