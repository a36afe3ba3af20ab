// One segment's views (core/evaluate/segments.h): the segment series of GET /v1/models/{model}/metrics
// ?segment= and the segment data drift of GET .../drift?segment= (GET .../segments is AddSegmentRoutes).
#pragma once

#include <string>

#include "api/dto/cursor.h"
#include "api/router.h"
#include "api/routes.h"

namespace driftgate::api {

// GET .../metrics?segment=<segment>: that segment's KPI series, paged like the model's.
Response SegmentMetricsReply(Request& req, Services& s, const dto::CursorCodec& cursors,
                             const std::string& segment);

// GET .../drift?segment=<segment>: that segment's data-drift results (service/drift/segment_drift.h), paged
// like the model's.
Response SegmentDriftReply(Request& req, Services& s, const dto::CursorCodec& cursors,
                           const std::string& segment);

}  // namespace driftgate::api
