#include "service/reporting/grid_forecast_service.h"

#include <pqxx/pqxx>

#include "codec/model_config.h"
#include "db/grid_repo.h"
#include "db/pool.h"
#include "service/access/audit.h"

namespace driftgate::service {
namespace {

GridForecastView View(const std::string& region, db::GridForecast f) {
  return {.region = region, .points = std::move(f.points), .updated_at_us = f.updated_at_us};
}

}  // namespace

Result<GridForecastView> GridForecastService::Replace(const GridForecastInput& forecast,
                                                      const std::string& actor) {
  return db::Transact<GridForecastView>(pool_, [&](pqxx::work& tx) -> Result<GridForecastView> {
    db::ReplaceGridForecast(tx, forecast.region, forecast.points);
    RecordAudit(tx, actor, "grid_forecast.replace", forecast.region, {{"points", forecast.points.size()}});
    return View(forecast.region, db::LoadGridForecast(tx, forecast.region));
  });
}

Result<GridForecastView> GridForecastService::Get(const std::string& region) {
  if (!codec::IsValidName(region)) return Error::Invalid("region", "region: must be a name like \"default\"");
  return db::Transact<GridForecastView>(pool_, [&](pqxx::work& tx) -> Result<GridForecastView> {
    return View(region, db::LoadGridForecast(tx, region));
  });
}

}  // namespace driftgate::service
