// The routes of each resource, in openapi.yaml's order; api/routes.cpp registers them all. Each function
// lives in api/handlers/<resource>.cpp.
#pragma once

#include <atomic>

#include "api/handlers/route_context.h"

namespace driftgate::api {

void AddProbeRoutes(const RouteContext& c, const ApiOptions& options, const std::atomic<bool>& shutting_down);
void AddUiRoutes(const RouteContext& c, const ApiOptions& options);
void AddModelRoutes(const RouteContext& c);           // /v1/models, /v1/models/{model}
void AddIngestRoutes(const RouteContext& c);          // .../predictions, .../labels
void AddHistoryRoutes(const RouteContext& c);         // .../decisions, .../metrics, .../drift
void AddSegmentRoutes(const RouteContext& c);         // .../segments (segments.h: the ?segment= views)
void AddReferenceRoutes(const RouteContext& c);       // .../reference
void AddRetrainRoutes(const RouteContext& c);         // .../retrains, .../retrains/{retrain_id}/status
void AddBacktestRoutes(const RouteContext& c);        // .../backtest
void AddSuggestRoutes(const RouteContext& c);         // .../suggest
void AddSustainabilityRoutes(const RouteContext& c);  // .../sustainability, /v1/sustainability
void AddGridForecastRoutes(const RouteContext& c);    // /v1/grid-forecast
void AddTokenRoutes(const RouteContext& c);           // /v1/tokens, /v1/tokens/{id}
void AddAuditRoutes(const RouteContext& c);           // /v1/audit

}  // namespace driftgate::api
