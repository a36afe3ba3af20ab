#include "db/secrets_repo.h"

#include "db/exec.h"
#include "db/sql/models.h"
#include "db/sql/outbox.h"

namespace driftgate::db {
namespace {

std::vector<SecretsRow> Rows(const pqxx::result& result) {
  std::vector<SecretsRow> out;
  out.reserve(result.size());
  for (const auto& r : result) {
    out.push_back(SecretsRow{.id = r[0].as<std::string>(),
                             .secret = r[1].as<std::string>(),
                             .headers_json = r[2].as<std::string>(),
                             .legacy_plaintext = r[3].as<bool>()});
    if (r.size() > 4) out.back().notify_json = r[4].as<std::string>();
  }
  return out;
}

}  // namespace

std::vector<SecretsRow> LockModelsToReseal(pqxx::transaction_base& tx, const std::string& current_key_id,
                                           bool legacy_only, int limit) {
  return Rows(ExecText(tx, sql::kModelsToReseal, current_key_id, legacy_only, limit));
}

std::vector<SecretsRow> LockOutboxToReseal(pqxx::transaction_base& tx, const std::string& current_key_id,
                                           bool legacy_only, int limit) {
  return Rows(ExecText(tx, sql::kOutboxToReseal, current_key_id, legacy_only, limit));
}

}  // namespace driftgate::db
