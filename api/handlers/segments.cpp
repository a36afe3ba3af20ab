#include "api/handlers/segments.h"

#include <nlohmann/json.hpp>

#include "api/dto/history.h"
#include "api/handlers/resources.h"
#include "api/problem.h"
#include "core/domain/time.h"

namespace driftgate::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSegmentLength = 1024;  // as a record's segment (api/dto/records.h)

bool IsSegmentValue(const std::string& s) {
  if (s.empty() || s.size() > kMaxSegmentLength) return false;
  for (const unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

json SegmentJson(const service::SegmentSummary& s) {
  return json{{"segment", s.segment},
              {"at", domain::FormatRfc3339(s.at_us)},
              {"n", s.n},
              {"state", s.state},
              {"kpis", json::parse(s.kpis_json)}};
}

}  // namespace

void AddSegmentRoutes(const RouteContext& c) {
  auto& s = c.s;
  c.router.Add("GET", "/v1/models/{model}/segments", service::Scope::kRead, [&s](Request& req) {
    auto segments = s.history.Segments(req.params["model"]);
    if (!segments.ok()) return Problem(segments.error());
    json items = json::array();
    for (const auto& seg : *segments) items.push_back(SegmentJson(seg));
    return Json(200, json{{"segments", std::move(items)}});
  });
}

Response SegmentMetricsReply(Request& req, Services& s, const dto::CursorCodec& cursors,
                             const std::string& segment) {
  if (!IsSegmentValue(segment)) {
    return Problem(400, "segment: must be 1 to 1024 printable characters", "segment");
  }
  if (req.Query("kind").value_or("realized") != "realized") {
    return Problem(400, "segment: only the realized KPI series is kept per segment", "segment");
  }
  auto q = dto::ParsePageQuery(req, cursors, "metrics:segment:" + segment);
  if (!q.ok()) return Problem(q.error());
  auto page = s.history.SegmentMetrics(req.params["model"], segment, q->query);
  if (!page.ok()) return Problem(page.error());
  return Json(200, dto::PageJson("metrics", *page, cursors, q->listing));
}

Response SegmentDriftReply(Request& req, Services& s, const dto::CursorCodec& cursors,
                           const std::string& segment) {
  if (!IsSegmentValue(segment)) {
    return Problem(400, "segment: must be 1 to 1024 printable characters", "segment");
  }
  auto q = dto::ParsePageQuery(req, cursors, "drift:segment:" + segment);
  if (!q.ok()) return Problem(q.error());
  auto page = s.history.SegmentDrift(req.params["model"], segment, q->query);
  if (!page.ok()) return Problem(page.error());
  return Json(200, dto::PageJson("drift", *page, cursors, q->listing));
}

}  // namespace driftgate::api
