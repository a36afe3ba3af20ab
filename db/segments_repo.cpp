#include "db/segments_repo.h"

#include "db/copy_text.h"
#include "db/exec.h"
#include "db/sql.h"

namespace driftgate::db {
namespace {

// `field` of every point as a text[] literal.
template <class F>
std::string ArrayOf(const std::vector<SegmentPoint>& points, F field) {
  std::string out = "{";
  for (const auto& p : points) {
    if (out.size() > 1) out += ',';
    copy::AppendArrayElement(out, field(p));
  }
  out += '}';
  return out;
}

}  // namespace

void InsertSegmentMetrics(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                          int generation, const std::vector<SegmentPoint>& points) {
  if (points.empty()) return;
  Exec(tx, sql::kInsertSegmentMetrics, model_id, at_us, generation,
       ArrayOf(points, [](const SegmentPoint& p) { return p.segment; }),
       ArrayOf(points, [](const SegmentPoint& p) { return std::to_string(p.n); }),
       ArrayOf(points, [](const SegmentPoint& p) { return p.state; }),
       ArrayOf(points, [](const SegmentPoint& p) { return p.kpis_json; }));
}

std::vector<SegmentPoint> LatestSegments(pqxx::transaction_base& tx, std::int64_t model_id, int generation) {
  std::vector<SegmentPoint> out;
  for (const auto& r : Exec(tx, sql::kLatestSegments, model_id, generation)) {
    out.push_back(SegmentPoint{.segment = r[0].as<std::string>(),
                               .at_us = r[1].as<std::int64_t>(),
                               .n = r[2].as<int>(),
                               .state = r[3].as<std::string>(),
                               .kpis_json = r[4].as<std::string>()});
  }
  return out;
}

}  // namespace driftgate::db
