// The read-only history of a model: GET .../decisions, .../metrics (realized, estimated or one segment's)
// and .../drift (the whole stream's, or one segment's).
#include "api/handlers/resources.h"
#include "api/handlers/segments.h"

namespace driftgate::api {
namespace {

void AddMetricsRoute(const RouteContext& c) {
  auto& s = c.s;
  // kind=realized (default): the labelled KPI series; kind=estimated: the label-free CBPE series.
  std::vector<std::string> query = c.paging;
  query.push_back("kind");
  query.push_back("segment");  // one segment's series (api/handlers/segments.h)
  c.router.Add("GET", "/v1/models/{model}/metrics", service::Scope::kRead, query,
               [&s, cursors = c.cursors](Request& req) {
                 if (auto segment = req.Query("segment"))
                   return SegmentMetricsReply(req, s, *cursors, *segment);
                 const auto kind = req.Query("kind").value_or("realized");
                 if (kind != "realized" && kind != "estimated") {
                   return Problem(400, "kind: must be realized or estimated", "kind");
                 }
                 auto q = dto::ParsePageQuery(req, *cursors, "metrics:" + kind);
                 if (!q.ok()) return Problem(q.error());
                 auto page = kind == "estimated" ? s.history.EstimatedMetrics(req.params["model"], q->query)
                                                 : s.history.Metrics(req.params["model"], q->query);
                 return Reply(std::move(page), [&](const auto& p) {
                   return dto::PageJson("metrics", p, *cursors, q->listing);
                 });
               });
}

void AddDriftRoute(const RouteContext& c) {
  auto& s = c.s;
  std::vector<std::string> query = c.paging;
  query.push_back("segment");  // one segment's data drift (api/handlers/segments.h)
  c.router.Add("GET", "/v1/models/{model}/drift", service::Scope::kRead, query,
               [&s, cursors = c.cursors](Request& req) {
                 if (auto segment = req.Query("segment"))
                   return SegmentDriftReply(req, s, *cursors, *segment);
                 auto q = dto::ParsePageQuery(req, *cursors, "drift");
                 if (!q.ok()) return Problem(q.error());
                 return Reply(s.history.Drift(req.params["model"], q->query), [&](const auto& page) {
                   return dto::PageJson("drift", page, *cursors, q->listing);
                 });
               });
}

}  // namespace

void AddHistoryRoutes(const RouteContext& c) {
  auto& s = c.s;
  AddPagedRoute(c, "/v1/models/{model}/decisions", "decisions",
                [&s](const std::string& m, const domain::PageQuery& q) { return s.history.Decisions(m, q); });
  AddMetricsRoute(c);
  AddDriftRoute(c);
}

}  // namespace driftgate::api
