// GET /v1/models/{model}/retrains and POST .../retrains/{retrain_id}/status, where the training pipeline
// reports back.
#include "api/handlers/resources.h"
#include "codec/json_read.h"

namespace driftgate::api {
namespace {

using nlohmann::json;

// The body of POST .../retrains/{retrain_id}/status: `status` and an optional `model_version`.
struct StatusReport {
  std::string status;
  std::optional<std::string> model_version;
};

Result<StatusReport> ParseStatusReport(const json& doc) {
  if (auto e = codec::UnknownFields(doc, {"status", "model_version"}, "")) return *e;
  if (!doc.contains("status") || !doc["status"].is_string()) {
    return Error::Invalid("status", "status: is required (running, succeeded or failed)");
  }
  StatusReport report{.status = doc["status"].get<std::string>(), .model_version = std::nullopt};
  if (doc.contains("model_version") && !doc["model_version"].is_null()) {
    const json& v = doc["model_version"];
    if (!v.is_string() || v.get_ref<const std::string&>().size() > 256) {
      return Error::Invalid("model_version", "model_version: must be a string of at most 256 characters");
    }
    report.model_version = v.get<std::string>();
  }
  return report;
}

}  // namespace

void AddRetrainRoutes(const RouteContext& c) {
  auto& s = c.s;
  const auto& limits = c.limits;
  AddPagedRoute(c, "/v1/models/{model}/retrains", "retrains",
                [&s](const std::string& m, const domain::PageQuery& q) { return s.history.Retrains(m, q); });
  c.router.Add("POST", "/v1/models/{model}/retrains/{retrain_id}/status", service::Scope::kIngest,
               [&s, limits](Request& req) {
                 auto doc = ParseObject(req.body, limits);
                 if (!doc.ok()) return Problem(doc.error());
                 auto report = ParseStatusReport(*doc);
                 if (!report.ok()) return Problem(report.error());
                 return Reply(s.retrains.ReportStatus(req.params["model"], req.params["retrain_id"],
                                                      report->status, report->model_version),
                              [](const domain::RetrainRow& r) { return dto::ToJson(r); });
               });
}

}  // namespace driftgate::api
