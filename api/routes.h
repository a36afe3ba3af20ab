// The services the HTTP API calls and its options. RegisterRoutes adds every route (api/handlers/
// <resource>.cpp; openapi.yaml mirrors them one to one). Handlers are thin: parse a DTO, call one
// application service, map the result.
#pragma once

#include <atomic>

#include "api/dto/records.h"
#include "api/router.h"
#include "service/access/audit.h"
#include "service/access/auth.h"
#include "service/access/tokens_service.h"
#include "service/drift/reference_uploads.h"
#include "service/ingest/ingest_service.h"
#include "service/models/models_service.h"
#include "service/observability/telemetry.h"
#include "service/reporting/backtest_service.h"
#include "service/reporting/grid_forecast_service.h"
#include "service/reporting/history_service.h"
#include "service/reporting/suggest_service.h"
#include "service/reporting/sustainability_service.h"
#include "service/retrains/retrains_service.h"

namespace driftgate::api {

struct Services {
  service::ModelsService& models;
  service::IngestService& ingest;
  service::RetrainsService& retrains;
  service::HistoryService& history;
  service::ReferenceUploads& drift;
  const service::Authenticator& auth;
  service::Telemetry* telemetry = nullptr;       // GET /metrics and request counts; nullptr: not measured
  service::TokensService* tokens = nullptr;      // /v1/tokens; nullptr: those routes are not served
  service::AuditService* audit = nullptr;        // /v1/audit; nullptr: not served
  service::BacktestService* backtest = nullptr;  // POST .../backtest; nullptr: not served
  service::SustainabilityService* sustainability = nullptr;  // .../sustainability; nullptr: not served
  service::GridForecastService* grid_forecast = nullptr;     // /v1/grid-forecast; nullptr: not served
  service::SuggestService* suggest = nullptr;                // POST .../suggest; nullptr: not served
};

struct ApiOptions {
  dto::Limits limits;
  std::size_t max_body_bytes = 8u << 20;
  // The request head before authentication (api/http/request_framer.h): longer request lines get 414,
  // longer heads (request line + header fields) 431.
  std::size_t max_request_line_bytes = 8 * 1024;
  std::size_t max_head_bytes = 64 * 1024;
  // Per-principal token bucket (DRIFTGATE_RATE_LIMIT_RPS / _BURST); 0: no limit. Over it: 429.
  double rate_limit_rps = 0.0;
  double rate_limit_burst = 0.0;
  // The /ui ops page's built assets (DRIFTGATE_UI_DIR / --ui-dir); empty: /ui answers 404.
  std::string ui_dir{};
  // DRIFTGATE_METRICS_TOKEN: when set, GET /metrics answers 401 unless it is presented as a bearer token.
  std::string metrics_token{};
  // The HMAC key of paging cursors (api/dto/cursor.h; DRIFTGATE_CURSOR_KEY); empty: a random one.
  std::string cursor_key{};
};

// `shutting_down` makes /readyz answer 503 first during a graceful stop.
void RegisterRoutes(Router& router, Services& s, const ApiOptions& options,
                    const std::atomic<bool>& shutting_down);

}  // namespace driftgate::api
