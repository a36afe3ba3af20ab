// POST /v1/models/{model}/suggest: thresholds suggested from a labelled baseline, with the backtest of the
// suggested config (service/reporting/suggest_service.h). Read scope: it writes nothing, and a read token
// restricted to the model may call it (the router binds `{model}`).
#pragma once

#include "api/dto/records.h"
#include "api/router.h"
#include "service/reporting/suggest_service.h"

namespace driftgate::api {

void RegisterSuggestRoutes(Router& router, service::SuggestService& suggest, const dto::Limits& limits);

}  // namespace driftgate::api
