// Every route of the HTTP API; openapi.yaml mirrors this list one to one. Handlers are thin: parse a
// DTO, call one application service, map the result.
#pragma once

#include <atomic>

#include "api/dto/records.h"
#include "api/router.h"
#include "service/auth.h"
#include "service/drift_monitor.h"
#include "service/history_service.h"
#include "service/ingest_service.h"
#include "service/models_service.h"
#include "service/retrains_service.h"

namespace driftgate::api {

struct Services {
  service::ModelsService& models;
  service::IngestService& ingest;
  service::RetrainsService& retrains;
  service::HistoryService& history;
  service::DriftMonitor& drift;
  const service::Authenticator& auth;
};

struct ApiOptions {
  dto::Limits limits;
  std::size_t max_body_bytes = 8u << 20;
};

// `shutting_down` makes /readyz answer 503 first during a graceful stop.
void RegisterRoutes(Router& router, Services& s, const ApiOptions& options, const std::atomic<bool>& shutting_down);

}  // namespace driftgate::api
