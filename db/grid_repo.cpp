#include "db/grid_repo.h"

#include <cstdio>

#include "db/exec.h"
#include "db/sql/grid_forecast.h"
#include "db/sql/retrains.h"
#include "db/sql/transaction.h"

namespace driftgate::db {
namespace {

// A PostgreSQL array literal of the points' times and of their intensities (round-trip precision).
std::pair<std::string, std::string> ArrayLiterals(const std::vector<evaluate::GridPoint>& points) {
  std::string times = "{", values = "{";
  char buf[40];
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i) {
      times += ',';
      values += ',';
    }
    times += std::to_string(points[i].at_us);
    std::snprintf(buf, sizeof buf, "%.17g", points[i].g_per_kwh);
    values += buf;
  }
  return {times + "}", values + "}"};
}

}  // namespace

void ReplaceGridForecast(pqxx::transaction_base& tx, const std::string& region,
                         const std::vector<evaluate::GridPoint>& points) {
  ExecText(tx, sql::kDeleteGridForecast, region);
  if (points.empty()) return;
  const auto [times, values] = ArrayLiterals(points);
  ExecText(tx, sql::kInsertGridForecast, region, times, values);
}

GridForecast LoadGridForecast(pqxx::transaction_base& tx, const std::string& region) {
  GridForecast f;
  for (const auto& r : ExecText(tx, sql::kSelectGridForecast, region)) {
    f.points.push_back({.at_us = r[0].as<std::int64_t>(), .g_per_kwh = r[1].as<double>()});
    const auto updated = r[2].as<std::int64_t>();
    f.updated_at_us = f.updated_at_us ? std::max(*f.updated_at_us, updated) : updated;
  }
  return f;
}

std::int64_t WallNow(pqxx::transaction_base& tx) {
  return ExecText1(tx, sql::kNowMicros)[0].as<std::int64_t>();
}

std::vector<evaluate::GridPoint> LoadGridWindow(pqxx::transaction_base& tx, const std::string& region,
                                                double hours) {
  std::vector<evaluate::GridPoint> points;
  for (const auto& r : ExecText(tx, sql::kGridWindow, region, hours)) {
    points.push_back({.at_us = r[0].as<std::int64_t>(), .g_per_kwh = r[1].as<double>()});
  }
  return points;
}

std::optional<std::string> RetrainDeferral(pqxx::transaction_base& tx, std::int64_t model_id,
                                           const std::string& retrain_id) {
  const pqxx::result r = ExecText(tx, sql::kRetrainDeferral, model_id, retrain_id);
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return r[0][0].as<std::string>();
}

ScheduledIntensity LedgerScheduledIntensity(pqxx::transaction_base& tx, std::int64_t model_id,
                                            std::int64_t from_us, std::int64_t to_us) {
  const pqxx::row r = ExecText1(tx, sql::kLedgerScheduledIntensity, model_id, from_us, to_us);
  return ScheduledIntensity{.retrains = r[0].as<std::int64_t>(), .g_per_kwh_sum = r[1].as<double>()};
}

}  // namespace driftgate::db
