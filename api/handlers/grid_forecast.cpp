// /v1/grid-forecast: the grid carbon-intensity forecast that carbon-aware deferral plans with (admin
// writes, read reads).
#include "api/dto/grid.h"
#include "api/handlers/resources.h"

namespace driftgate::api {

void AddGridForecastRoutes(const RouteContext& c) {
  if (!c.s.grid_forecast) return;
  auto& forecast = *c.s.grid_forecast;
  const auto& limits = c.limits;
  c.router.Add("PUT", "/v1/grid-forecast", service::Scope::kAdmin, [&forecast, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    auto input = dto::ParseGridForecast(*doc);
    if (!input.ok()) return Problem(input.error());
    return Reply(forecast.Replace(*input, Actor(req)), dto::GridForecastJson);
  });
  c.router.Add("GET", "/v1/grid-forecast", service::Scope::kRead, {"region"}, [&forecast](Request& req) {
    return Reply(forecast.Get(req.Query("region").value_or("default")), dto::GridForecastJson);
  });
}

}  // namespace driftgate::api
