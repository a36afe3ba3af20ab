// The grid-intensity forecast (V007) and the reads of the carbon-aware schedule of a retrain's webhook.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/evaluate/deferral.h"

namespace driftgate::db {

// Replaces the region's forecast with `points` (sorted, unique times; validated by the caller).
void ReplaceGridForecast(pqxx::transaction_base& tx, const std::string& region,
                         const std::vector<evaluate::GridPoint>& points);

struct GridForecast {
  std::vector<evaluate::GridPoint> points{};
  std::optional<std::int64_t> updated_at_us{};  // wall time of the last replace; nullopt: none stored
};
GridForecast LoadGridForecast(pqxx::transaction_base& tx, const std::string& region);

// The transaction's wall time (PostgreSQL's now()).
std::int64_t WallNow(pqxx::transaction_base& tx);
// The points that decide a deferral of `hours` from now(): from the slot holding now() through the first
// point at or after the window's end (core/evaluate/deferral.h).
std::vector<evaluate::GridPoint> LoadGridWindow(pqxx::transaction_base& tx, const std::string& region,
                                                double hours);

// A retrain's deferral JSON; nullopt when it had none.
std::optional<std::string> RetrainDeferral(pqxx::transaction_base& tx, std::int64_t model_id,
                                           const std::string& retrain_id);

struct ScheduledIntensity {
  std::int64_t retrains = 0;   // retrains whose scheduled slot's intensity is known
  double g_per_kwh_sum = 0.0;  // the sum of those intensities
};
// Over retrains requested in [from_us, to_us) of data time (the ledger's period).
ScheduledIntensity LedgerScheduledIntensity(pqxx::transaction_base& tx, std::int64_t model_id,
                                            std::int64_t from_us, std::int64_t to_us);

}  // namespace driftgate::db
