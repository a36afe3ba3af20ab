#include "api/routes.h"

#include <nlohmann/json.hpp>

#include "api/dto/history.h"
#include "api/problem.h"

namespace driftgate::api {
namespace {

using nlohmann::json;
using service::Scope;

Response Json(int status, const json& body) {
  return Response{.status = status, .body = body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

template <class T, class F>
Response Reply(const Result<T>& r, F&& to_json, int status = 200) {
  if (!r.ok()) return Problem(r.error());
  return Json(status, to_json(*r));
}

Result<json> ParseObject(const std::string& body, const dto::Limits& limits) {
  if (dto::JsonDepth(body) > limits.max_depth) {
    return Error::Invalid("body", "body: JSON nested deeper than " + std::to_string(limits.max_depth) + " levels");
  }
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded()) return Error::Invalid("body", "body: is not valid JSON");
  if (!doc.is_object()) return Error::Invalid("body", "body: must be a JSON object");
  return doc;
}

json IngestJson(const domain::IngestResult& r, bool labels) {
  json out{{"accepted", r.accepted}, {"duplicates", r.duplicates}};
  if (labels) out["unmatched"] = r.unmatched;
  return out;
}

}  // namespace

void RegisterRoutes(Router& router, Services& s, const ApiOptions& options, const std::atomic<bool>& shutting_down) {
  const dto::Limits limits = options.limits;

  router.Add("GET", "/healthz", std::nullopt, [](Request&) { return Json(200, {{"status", "ok"}}); });
  router.Add("GET", "/readyz", std::nullopt, [&s, &shutting_down](Request&) {
    if (shutting_down.load()) return Problem(503, "shutting down");
    if (!s.history.DatabaseReady()) return Problem(503, "the database does not answer");
    return Json(200, {{"status", "ready"}});
  });

  // ---- models
  router.Add("POST", "/v1/models", Scope::kAdmin, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    return Reply(
        s.models.Create(*doc),
        [](const domain::Model& m) {
          json out = service::ModelToJson(m);
          out["webhook"]["secret"] = m.config.webhook.secret;  // shown once, at creation
          return out;
        },
        201);
  });
  router.Add("GET", "/v1/models", Scope::kRead, [&s](Request&) {
    return Reply(s.models.List(), [](const std::vector<domain::Model>& models) {
      json items = json::array();
      for (const auto& m : models) items.push_back(service::ModelToJson(m));
      return json{{"models", std::move(items)}};
    });
  });
  router.Add("GET", "/v1/models/{model}", Scope::kRead,
             [&s](Request& req) { return Reply(s.models.Get(req.params["model"]), service::ModelToJson); });
  router.Add("PUT", "/v1/models/{model}", Scope::kAdmin, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    const std::string name = req.params["model"];
    return Reply(s.models.Replace(name, *doc), service::ModelToJson);
  });
  router.Add("DELETE", "/v1/models/{model}", Scope::kAdmin, [&s](Request& req) {
    auto st = s.models.Delete(req.params["model"]);
    if (!st.ok()) return Problem(st.error());
    return Response{.status = 204, .body = "", .content_type = "application/json"};
  });

  // ---- ingest
  router.Add("POST", "/v1/models/{model}/predictions", Scope::kIngest, [&s, limits](Request& req) {
    auto records = dto::ParsePredictionBatch(req.body, limits);
    if (!records.ok()) return Problem(records.error());
    return Reply(s.ingest.IngestPredictions(req.params["model"], std::move(records).value()),
                 [](const domain::IngestResult& r) { return IngestJson(r, false); });
  });
  router.Add("POST", "/v1/models/{model}/labels", Scope::kIngest, [&s, limits](Request& req) {
    auto records = dto::ParseLabelBatch(req.body, limits);
    if (!records.ok()) return Problem(records.error());
    return Reply(s.ingest.IngestLabels(req.params["model"], std::move(records).value()),
                 [](const domain::IngestResult& r) { return IngestJson(r, true); });
  });

  // ---- data-drift reference: records like predictions; replaces the automatic reference
  router.Add("PUT", "/v1/models/{model}/reference", Scope::kAdmin, [&s, limits](Request& req) {
    auto records = dto::ParsePredictionBatch(req.body, limits);
    if (!records.ok()) return Problem(records.error());
    return Reply(s.drift.UploadReference(req.params["model"], std::move(records).value()), [](std::int64_t n) {
      return json{{"reference", {{"source", "uploaded"}, {"size", n}}}};
    });
  });

  // ---- history
  auto paged = [&router](const char* path, const char* key, auto fetch) {
    router.Add("GET", path, Scope::kRead, [key, fetch](Request& req) {
      auto q = dto::ParsePageQuery(req);
      if (!q.ok()) return Problem(q.error());
      return Reply(fetch(req.params["model"], *q), [key](const auto& page) { return dto::PageJson(key, page); });
    });
  };
  paged("/v1/models/{model}/decisions", "decisions",
        [&s](const std::string& m, const domain::PageQuery& q) { return s.history.Decisions(m, q); });
  paged("/v1/models/{model}/metrics", "metrics",
        [&s](const std::string& m, const domain::PageQuery& q) { return s.history.Metrics(m, q); });
  paged("/v1/models/{model}/drift", "drift",
        [&s](const std::string& m, const domain::PageQuery& q) { return s.history.Drift(m, q); });
  paged("/v1/models/{model}/retrains", "retrains",
        [&s](const std::string& m, const domain::PageQuery& q) { return s.history.Retrains(m, q); });

  // ---- retraining runs: the pipeline reports back
  router.Add("POST", "/v1/models/{model}/retrains/{retrain_id}/status", Scope::kIngest, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    for (auto it = doc->begin(); it != doc->end(); ++it) {
      if (it.key() != "status" && it.key() != "model_version") return Problem(400, it.key() + ": unknown field", it.key());
    }
    if (!doc->contains("status") || !(*doc)["status"].is_string()) {
      return Problem(400, "status: is required (running, succeeded or failed)", "status");
    }
    std::optional<std::string> version;
    if (doc->contains("model_version") && !(*doc)["model_version"].is_null()) {
      const json& v = (*doc)["model_version"];
      if (!v.is_string() || v.get_ref<const std::string&>().size() > 256) {
        return Problem(400, "model_version: must be a string of at most 256 characters", "model_version");
      }
      version = v.get<std::string>();
    }
    return Reply(s.retrains.ReportStatus(req.params["model"], req.params["retrain_id"],
                                         (*doc)["status"].get<std::string>(), version),
                 [](const domain::RetrainRow& r) { return dto::ToJson(r); });
  });
}

}  // namespace driftgate::api
