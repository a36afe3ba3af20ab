#include "api/routes.h"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "api/dto/access.h"
#include "api/dto/cursor.h"
#include "api/dto/history.h"
#include "api/dto/json_body.h"
#include "api/dto/nul_check.h"
#include "api/handlers/segments.h"
#include "api/handlers/suggest.h"
#include "api/problem.h"
#include "api/ui_assets.h"
#include "codec/model_config.h"
#include "codec/model_document.h"
#include "codec/webhook_config.h"
#include "core/domain/time.h"

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
  auto parsed = dto::ParseJsonBody(body, limits.max_depth);
  if (!parsed.ok()) return parsed.error();
  json doc = std::move(parsed).value();
  if (!doc.is_object()) return Error::Invalid("body", "body: must be a JSON object");
  if (auto e = dto::FindNulCharacter(doc)) return *e;  // PostgreSQL cannot store U+0000
  return doc;
}

// The audit actor of an authenticated request: a token id, or "admin-env".
std::string Actor(const Request& req) { return req.principal ? req.principal->id : "unknown"; }

bool IsAdmin(const Request& req) { return req.principal && req.principal->Grants(Scope::kAdmin); }

// Webhook and notify URLs may carry a credential in their path or query (Slack-style incoming webhooks):
// a caller without the admin scope sees scheme, host and port only.
json ModelForCaller(const domain::Model& m, bool admin) {
  json out = codec::ModelToJson(m);
  if (!admin) codec::RedactModelUrls(out);
  return out;
}

json IngestJson(const domain::IngestResult& r, bool labels) {
  json out{{"accepted", r.accepted}, {"duplicates", r.duplicates}};
  if (labels) out["unmatched"] = r.unmatched;
  return out;
}

// `from` and `to` (RFC 3339, data time) of a ledger query.
Result<service::LedgerPeriod> ParseLedgerPeriod(const Request& req) {
  service::LedgerPeriod p;
  for (const char* key : {"from", "to"}) {
    if (auto v = req.Query(key)) {
      auto ts = domain::ParseRfc3339(*v);
      if (!ts) {
        return Error::Invalid(key,
                              std::string(key) + ": must be an RFC 3339 time, e.g. 2026-11-23T06:00:00Z");
      }
      // Bounded like every time (core/domain/time.h): a period of millennia would claim a baseline of
      // hundreds of thousands of scheduled retrains.
      if (auto why = domain::OutsideTimeDomain(*ts, domain::kMaxTimeUs + 1)) {
        return Error::Invalid(key, std::string(key) + ": " + *why);
      }
      (std::string(key) == "from" ? p.from_us : p.to_us) = *ts;
    }
  }
  if (p.from_us && p.to_us && *p.from_us >= *p.to_us) return Error::Invalid("to", "to: must be after from");
  return p;
}

// Equal strings, in time that depends on their lengths only (OpenSSL's constant-time comparison).
bool SameSecret(std::string_view presented, std::string_view expected) {
  return presented.size() == expected.size() &&
         CRYPTO_memcmp(presented.data(), expected.data(), expected.size()) == 0;
}

// The body of POST .../retrains/{retrain_id}/status: `status` and an optional `model_version`.
struct StatusReport {
  std::string status;
  std::optional<std::string> model_version;
};

Result<StatusReport> ParseStatusReport(const json& doc) {
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "status" && it.key() != "model_version") {
      return Error::Invalid(MemberPath("", it.key()), MemberPath("", it.key()) + ": unknown field");
    }
  }
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

// What every group of routes below registers with.
struct RouteContext {
  Router& router;
  Services& s;
  dto::Limits limits;
  // Shared by the paged routes' handlers, which the router keeps for the server's lifetime.
  std::shared_ptr<const dto::CursorCodec> cursors;
  std::vector<std::string> paging;  // the query keys of a paged route
};

// Liveness, readiness and Prometheus.
void AddProbeRoutes(const RouteContext& c, const ApiOptions& options,
                    const std::atomic<bool>& shutting_down) {
  auto& s = c.s;
  c.router.Add("GET", "/healthz", std::nullopt, [](Request&) { return Json(200, {{"status", "ok"}}); });
  c.router.Add("GET", "/readyz", std::nullopt, [&s, &shutting_down](Request&) {
    if (shutting_down.load()) return Problem(503, "shutting down");
    if (!s.history.DatabaseReady()) return Problem(503, "the database does not answer");
    return Json(200, {{"status", "ready"}});
  });
  // Prometheus text exposition (service/observability/telemetry.h lists the metrics).
  c.router.Add("GET", "/metrics", std::nullopt, [&s, token = options.metrics_token](Request& req) {
    if (!token.empty() && !SameSecret(req.authorization, "Bearer " + token)) {
      return Problem(401, "GET /metrics needs the metrics token (DRIFTGATE_METRICS_TOKEN) as a bearer token");
    }
    return Response{.status = 200,
                    .body = s.telemetry ? s.telemetry->Render() : std::string(),
                    .content_type = service::Telemetry::kContentType};
  });
}

// Models.
void AddModelRoutes(const RouteContext& c) {
  auto& s = c.s;
  const auto& limits = c.limits;
  c.router.Add("POST", "/v1/models", Scope::kAdmin, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    auto config = codec::ParseModelConfig(*doc);
    if (!config.ok()) return Problem(config.error());
    return Reply(
        s.models.Create(std::move(config).value(), Actor(req)),
        [](const domain::Model& m) {
          json out = codec::ModelToJson(m);
          out["webhook"]["secret"] = m.config.webhook.secret;  // shown once, at creation
          return out;
        },
        201);
  });
  c.router.Add("GET", "/v1/models", Scope::kRead, [&s](Request& req) {
    const bool admin = IsAdmin(req);
    return Reply(s.models.List(), [admin](const std::vector<domain::Model>& models) {
      json items = json::array();
      for (const auto& m : models) items.push_back(ModelForCaller(m, admin));
      return json{{"models", std::move(items)}};
    });
  });
  c.router.Add("GET", "/v1/models/{model}", Scope::kRead, [&s](Request& req) {
    const bool admin = IsAdmin(req);
    return Reply(s.models.Get(req.params["model"]),
                 [admin](const domain::Model& m) { return ModelForCaller(m, admin); });
  });
  c.router.Add("PUT", "/v1/models/{model}", Scope::kAdmin, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    const std::string name = req.params["model"];
    auto config = codec::ParseModelConfig(*doc, &name);
    if (!config.ok()) return Problem(config.error());
    service::ModelReplacement replacement{.config = std::move(config).value(),
                                          .keep_headers = codec::KeepsStoredHeaders(*doc)};
    return Reply(s.models.Replace(name, std::move(replacement), Actor(req)), codec::ModelToJson);
  });
  // JSON Merge Patch (RFC 7386) of the stored config: members given replace, null removes (back to the
  // default), objects merge; the result is validated and stored like a PUT.
  c.router.Add("PATCH", "/v1/models/{model}", Scope::kAdmin, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    const std::string name = req.params["model"];
    const service::ModelPatch patch{
        .apply =
            [&](const domain::ModelConfig& current) { return codec::ApplyModelPatch(current, *doc, name); },
        .members = codec::PatchMembers(*doc)};
    return Reply(s.models.Patch(name, patch, Actor(req)), codec::ModelToJson);
  });
  c.router.Add("DELETE", "/v1/models/{model}", Scope::kAdmin, [&s](Request& req) {
    auto st = s.models.Delete(req.params["model"], Actor(req));
    if (!st.ok()) return Problem(st.error());
    if (s.telemetry) s.telemetry->ForgetModel(req.params["model"]);
    s.auth.ForgetCached();  // tokens restricted to this model stop working now, not when their cache expires
    return Response{.status = 204, .body = "", .content_type = "application/json"};
  });
}

// Ingest.
void AddIngestRoutes(const RouteContext& c) {
  auto& s = c.s;
  const auto& limits = c.limits;
  c.router.Add("POST", "/v1/models/{model}/predictions", Scope::kIngest, [&s, limits](Request& req) {
    auto records = dto::ParsePredictionBatch(req.body, limits);
    if (!records.ok()) return Problem(records.error());
    return Reply(s.ingest.IngestPredictions(req.params["model"], std::move(records).value()),
                 [](const domain::IngestResult& r) { return IngestJson(r, false); });
  });
  c.router.Add("POST", "/v1/models/{model}/labels", Scope::kIngest, [&s, limits](Request& req) {
    auto records = dto::ParseLabelBatch(req.body, limits);
    if (!records.ok()) return Problem(records.error());
    return Reply(s.ingest.IngestLabels(req.params["model"], std::move(records).value()),
                 [](const domain::IngestResult& r) { return IngestJson(r, true); });
  });

  // The data-drift reference: records like predictions; replaces the automatic reference
  c.router.Add("PUT", "/v1/models/{model}/reference", Scope::kAdmin, [&s, limits](Request& req) {
    auto records = dto::ParsePredictionBatch(req.body, limits);
    if (!records.ok()) return Problem(records.error());
    return Reply(s.drift.UploadReference(req.params["model"], std::move(records).value(), Actor(req)),
                 [](std::int64_t n) {
                   return json{{"reference", {{"source", "uploaded"}, {"size", n}}}};
                 });
  });
}

// History.
void AddHistoryRoutes(const RouteContext& c) {
  auto& s = c.s;
  auto paged = [&c](const char* path, const char* key, auto fetch) {
    c.router.Add("GET", path, Scope::kRead, c.paging, [key, fetch, cursors = c.cursors](Request& req) {
      auto q = dto::ParsePageQuery(req, *cursors, key);
      if (!q.ok()) return Problem(q.error());
      return Reply(fetch(req.params["model"], q->query),
                   [&](const auto& page) { return dto::PageJson(key, page, *cursors, q->listing); });
    });
  };
  paged("/v1/models/{model}/decisions", "decisions",
        [&s](const std::string& m, const domain::PageQuery& q) { return s.history.Decisions(m, q); });
  // kind=realized (default): the labelled KPI series; kind=estimated: the label-free CBPE series.
  std::vector<std::string> metrics_query = c.paging;
  metrics_query.push_back("kind");
  metrics_query.push_back("segment");  // one segment's series (api/handlers/segments.h)
  c.router.Add("GET", "/v1/models/{model}/metrics", Scope::kRead, metrics_query,
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
  RegisterSegmentRoutes(c.router, s);
  std::vector<std::string> drift_query = c.paging;
  drift_query.push_back("segment");  // one segment's data drift (api/handlers/segments.h)
  c.router.Add(
      "GET", "/v1/models/{model}/drift", Scope::kRead, drift_query, [&s, cursors = c.cursors](Request& req) {
        if (auto segment = req.Query("segment")) return SegmentDriftReply(req, s, *cursors, *segment);
        auto q = dto::ParsePageQuery(req, *cursors, "drift");
        if (!q.ok()) return Problem(q.error());
        return Reply(s.history.Drift(req.params["model"], q->query),
                     [&](const auto& page) { return dto::PageJson("drift", page, *cursors, q->listing); });
      });
  paged("/v1/models/{model}/retrains", "retrains",
        [&s](const std::string& m, const domain::PageQuery& q) { return s.history.Retrains(m, q); });
}

// Retraining runs: the pipeline reports back.
void AddRetrainRoutes(const RouteContext& c) {
  auto& s = c.s;
  const auto& limits = c.limits;
  c.router.Add("POST", "/v1/models/{model}/retrains/{retrain_id}/status", Scope::kIngest,
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

// Scoped tokens and the audit log (admin).
void AddAdminRoutes(const RouteContext& c) {
  auto& s = c.s;
  const auto& limits = c.limits;
  if (s.tokens) {
    c.router.Add("POST", "/v1/tokens", Scope::kAdmin, [&s, limits](Request& req) {
      auto doc = ParseObject(req.body, limits);
      if (!doc.ok()) return Problem(doc.error());
      return Reply(s.tokens->Create(*doc, Actor(req)), dto::CreatedTokenJson, 201);
    });
    c.router.Add("GET", "/v1/tokens", Scope::kAdmin, [&s](Request&) {
      return Reply(s.tokens->List(), [](const std::vector<domain::TokenInfo>& tokens) {
        json items = json::array();
        for (const auto& t : tokens) items.push_back(dto::ToJson(t));
        return json{{"tokens", std::move(items)}};
      });
    });
    c.router.Add("DELETE", "/v1/tokens/{id}", Scope::kAdmin, [&s](Request& req) {
      auto st = s.tokens->Revoke(req.params["id"], Actor(req));
      if (!st.ok()) return Problem(st.error());
      return Response{.status = 204, .body = "", .content_type = "application/json"};
    });
  }
  if (s.audit) {
    c.router.Add("GET", "/v1/audit", Scope::kAdmin, c.paging, [&s, cursors = c.cursors](Request& req) {
      auto q = dto::ParsePageQuery(req, *cursors, "audit");
      if (!q.ok()) return Problem(q.error());
      return Reply(s.audit->List(q->query),
                   [&](const auto& page) { return dto::AuditPageJson(page, *cursors, q->listing); });
    });
  }
}

// Policy backtests and the sustainability ledger (read-only: nothing is written or sent).
void AddLedgerRoutes(const RouteContext& c) {
  auto& s = c.s;
  const auto& limits = c.limits;
  if (s.backtest) {
    c.router.Add("POST", "/v1/models/{model}/backtest", Scope::kRead, [&s, limits](Request& req) {
      auto doc = ParseObject(req.body, limits);
      if (!doc.ok()) return Problem(doc.error());
      auto request = service::ParseBacktestRequest(*doc);
      if (!request.ok()) return Problem(request.error());
      return Reply(s.backtest->Run(req.params["model"], *request), [](const json& j) { return j; });
    });
  }
  if (s.suggest) RegisterSuggestRoutes(c.router, *s.suggest, limits);
  if (s.sustainability) {
    c.router.Add("GET", "/v1/models/{model}/sustainability", Scope::kRead, {"from", "to"},
                 [&s](Request& req) {
                   auto period = ParseLedgerPeriod(req);
                   if (!period.ok()) return Problem(period.error());
                   return Reply(s.sustainability->Model(req.params["model"], *period),
                                [](const json& j) { return j; });
                 });
    c.router.Add("GET", "/v1/sustainability", Scope::kRead, {"from", "to"}, [&s](Request& req) {
      auto period = ParseLedgerPeriod(req);
      if (!period.ok()) return Problem(period.error());
      return Reply(s.sustainability->Fleet(*period), [](const json& j) { return j; });
    });
  }
  // Carbon-aware deferral: the grid-intensity forecast (admin writes, read reads)
  if (s.grid_forecast) {
    c.router.Add("PUT", "/v1/grid-forecast", Scope::kAdmin, [&s, limits](Request& req) {
      auto doc = ParseObject(req.body, limits);
      if (!doc.ok()) return Problem(doc.error());
      return Reply(s.grid_forecast->Replace(*doc, Actor(req)), [](const json& j) { return j; });
    });
    c.router.Add("GET", "/v1/grid-forecast", Scope::kRead, {"region"}, [&s](Request& req) {
      return Reply(s.grid_forecast->Get(req.Query("region").value_or("default")),
                   [](const json& j) { return j; });
    });
  }
}

// The ops page: static files, no token (the page asks for one and sends it to /v1 itself).
void AddUiRoutes(const RouteContext& c, const ApiOptions& options) {
  const std::string ui_dir = options.ui_dir;
  c.router.Add("GET", "/ui", std::nullopt, [ui_dir](Request&) { return ServeUiFile(ui_dir, {}); });
  c.router.Add("GET", "/ui/", std::nullopt, [ui_dir](Request&) { return ServeUiFile(ui_dir, {}); });
  c.router.Add("GET", "/ui/{asset}", std::nullopt,
               [ui_dir](Request& req) { return ServeUiFile(ui_dir, {req.params["asset"]}); });
  c.router.Add("GET", "/ui/{dir}/{asset}", std::nullopt, [ui_dir](Request& req) {
    return ServeUiFile(ui_dir, {req.params["dir"], req.params["asset"]});
  });
}

}  // namespace

void RegisterRoutes(Router& router, Services& s, const ApiOptions& options,
                    const std::atomic<bool>& shutting_down) {
  const RouteContext c{.router = router,
                       .s = s,
                       .limits = options.limits,
                       .cursors = std::make_shared<const dto::CursorCodec>(options.cursor_key),
                       .paging = {"from", "to", "limit", "cursor"}};
  AddProbeRoutes(c, options, shutting_down);
  AddModelRoutes(c);
  AddIngestRoutes(c);
  AddHistoryRoutes(c);
  AddRetrainRoutes(c);
  AddAdminRoutes(c);
  AddLedgerRoutes(c);
  AddUiRoutes(c, options);
}

}  // namespace driftgate::api
