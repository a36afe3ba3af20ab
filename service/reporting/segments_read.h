// The read side of segments (core/evaluate/segments.h): each segment's latest judgement, most at risk first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace driftgate::service {

struct SegmentSummary {
  std::string segment{};
  std::int64_t at_us = 0;   // data time of its latest evaluation
  int n = 0;                // pairs in its window
  std::string state{};      // ok | warn | breach
  std::string kpis_json{};  // as a metric point's kpis
  // How far its worst KPI value sits inside its threshold (negative: past it); +inf without a threshold.
  double margin = 0.0;
};

// Most at risk first: breach, then warn, then ok; within a state by ascending margin, then by name.
void SortByRisk(std::vector<SegmentSummary>& segments);

}  // namespace driftgate::service
