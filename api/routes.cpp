#include "api/routes.h"

#include "api/handlers/resources.h"

namespace driftgate::api {

void RegisterRoutes(Router& router, Services& s, const ApiOptions& options,
                    const std::atomic<bool>& shutting_down) {
  const RouteContext c{.router = router,
                       .s = s,
                       .limits = options.limits,
                       .cursors = std::make_shared<const dto::CursorCodec>(options.cursor_key),
                       .paging = {"from", "to", "limit", "cursor"}};
  // openapi.yaml's order.
  AddProbeRoutes(c, options, shutting_down);
  AddUiRoutes(c, options);
  AddModelRoutes(c);
  AddIngestRoutes(c);
  AddHistoryRoutes(c);
  AddSegmentRoutes(c);
  AddReferenceRoutes(c);
  AddRetrainRoutes(c);
  AddBacktestRoutes(c);
  AddSuggestRoutes(c);
  AddSustainabilityRoutes(c);
  AddGridForecastRoutes(c);
  AddTokenRoutes(c);
  AddAuditRoutes(c);
}

}  // namespace driftgate::api
