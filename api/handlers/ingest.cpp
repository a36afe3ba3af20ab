// POST /v1/models/{model}/predictions and .../labels: batches of records, stored all or nothing.
#include "api/handlers/resources.h"

namespace driftgate::api {
namespace {

nlohmann::json IngestJson(const domain::IngestResult& r, bool labels) {
  nlohmann::json out{{"accepted", r.accepted}, {"duplicates", r.duplicates}};
  if (labels) out["unmatched"] = r.unmatched;
  return out;
}

}  // namespace

void AddIngestRoutes(const RouteContext& c) {
  auto& s = c.s;
  const auto& limits = c.limits;
  c.router.Add("POST", "/v1/models/{model}/predictions", service::Scope::kIngest, [&s, limits](Request& req) {
    auto records = dto::ParsePredictionBatch(req.body, limits);
    if (!records.ok()) return Problem(records.error());
    return Reply(s.ingest.IngestPredictions(req.params["model"], std::move(records).value()),
                 [](const domain::IngestResult& r) { return IngestJson(r, false); });
  });
  c.router.Add("POST", "/v1/models/{model}/labels", service::Scope::kIngest, [&s, limits](Request& req) {
    auto records = dto::ParseLabelBatch(req.body, limits);
    if (!records.ok()) return Problem(records.error());
    return Reply(s.ingest.IngestLabels(req.params["model"], std::move(records).value()),
                 [](const domain::IngestResult& r) { return IngestJson(r, true); });
  });
}

}  // namespace driftgate::api
