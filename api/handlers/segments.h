// The segments' routes (core/evaluate/segments.h): GET /v1/models/{model}/segments, and the segment
// series of GET /v1/models/{model}/metrics?segment=.
#pragma once

#include <string>

#include "api/dto/cursor.h"
#include "api/router.h"
#include "api/routes.h"

namespace driftgate::api {

void RegisterSegmentRoutes(Router& router, Services& s);

// GET .../metrics?segment=<segment>: that segment's KPI series, paged like the model's.
Response SegmentMetricsReply(Request& req, Services& s, const dto::CursorCodec& cursors,
                             const std::string& segment);

}  // namespace driftgate::api
