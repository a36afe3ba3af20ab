#include "service/access/tokens_service.h"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "db/access_repo.h"
#include "db/pool.h"
#include "service/access/audit.h"
#include "service/access/auth.h"

namespace driftgate::service {

Result<domain::CreatedToken> TokensService::Create(const TokenSpec& spec, const std::string& actor) {
  std::string value = NewTokenValue();
  const std::string hash = HexOf(HashToken(value));
  auto created = db::Transact<domain::TokenInfo>(pool_, [&](pqxx::work& tx) -> Result<domain::TokenInfo> {
    auto info = db::InsertToken(tx, spec.name, hash, spec.scopes, spec.model);
    RecordAudit(tx, actor, "token.create", info.id,
                {{"name", info.name}, {"scopes", info.scopes}, {"model", info.model}});
    return info;
  });
  if (!created.ok()) return created.error();
  spdlog::info("token created: id={} name=\"{}\" by {}", created->id, created->name, actor);
  return domain::CreatedToken{.info = std::move(created).value(), .value = std::move(value)};
}

Result<std::vector<domain::TokenInfo>> TokensService::List() {
  return db::Transact<std::vector<domain::TokenInfo>>(
      pool_, [](pqxx::work& tx) -> Result<std::vector<domain::TokenInfo>> { return db::ListTokens(tx); });
}

Status TokensService::Revoke(const std::string& id, const std::string& actor) {
  auto st = db::Transact<Ok>(pool_, [&](pqxx::work& tx) -> Status {
    auto name = db::RevokeToken(tx, id);
    if (!name) {
      // Token ids are UUIDs: a longer path segment is not quoted back.
      const std::string shown = id.size() <= 64 ? "token '" + id + "'" : "this token";
      return Error{ErrorCode::kNotFound, "id: " + shown + " does not exist or is already revoked", "id"};
    }
    RecordAudit(tx, actor, "token.delete", id, {{"name", *name}});
    return Ok{};
  });
  if (!st.ok()) return st;
  spdlog::info("token revoked: id={} by {}", id, actor);
  if (options_.on_revoke) options_.on_revoke();
  return st;
}

}  // namespace driftgate::service
