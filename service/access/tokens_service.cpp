#include "service/access/tokens_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <pqxx/pqxx>

#include "codec/model_config.h"
#include "db/access_repo.h"
#include "db/pool.h"
#include "service/access/audit.h"
#include "service/access/auth.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

Error Invalid(const std::string& field, const std::string& msg) {
  return Error::Invalid(field, field + ": " + msg);
}

struct TokenSpec {
  std::string name{};
  std::vector<std::string> scopes{};
  std::optional<std::string> model{};
};

Result<TokenSpec> ParseTokenSpec(const json& doc) {
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "name" && it.key() != "scopes" && it.key() != "model")
      return Invalid(MemberPath("", it.key()), "unknown field");
  }
  TokenSpec spec;
  if (!doc.contains("name") || !doc["name"].is_string()) return Invalid("name", "is required (a string)");
  spec.name = doc["name"].get<std::string>();
  if (spec.name.empty() || spec.name.size() > 128) return Invalid("name", "must have 1 to 128 characters");
  if (std::any_of(spec.name.begin(), spec.name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return Invalid("name", "must not contain control characters");
  }
  if (!doc.contains("scopes") || !doc["scopes"].is_array() || doc["scopes"].empty()) {
    return Invalid("scopes", "is required: a non-empty array of \"ingest\", \"read\", \"admin\"");
  }
  for (std::size_t i = 0; i < doc["scopes"].size(); ++i) {
    const json& s = doc["scopes"][i];
    const std::string field = "scopes[" + std::to_string(i) + "]";
    if (!s.is_string() || !ParseScope(s.get_ref<const std::string&>())) {
      return Invalid(field, "must be \"ingest\", \"read\" or \"admin\"");
    }
    spec.scopes.push_back(s.get<std::string>());
  }
  std::sort(spec.scopes.begin(), spec.scopes.end());
  spec.scopes.erase(std::unique(spec.scopes.begin(), spec.scopes.end()), spec.scopes.end());
  if (doc.contains("model") && !doc["model"].is_null()) {
    if (!doc["model"].is_string() || !codec::IsValidName(doc["model"].get_ref<const std::string&>())) {
      return Invalid("model", "must be a model name (^[a-z0-9][a-z0-9._-]{0,63}$) or null");
    }
    spec.model = doc["model"].get<std::string>();
  }
  return spec;
}

}  // namespace

Result<domain::CreatedToken> TokensService::Create(const json& doc, const std::string& actor) {
  auto spec = ParseTokenSpec(doc);
  if (!spec.ok()) return spec.error();
  std::string value = NewTokenValue();
  const std::string hash = HexOf(HashToken(value));
  auto created = db::Transact<domain::TokenInfo>(pool_, [&](pqxx::work& tx) -> Result<domain::TokenInfo> {
    auto info = db::InsertToken(tx, spec->name, hash, spec->scopes, spec->model);
    RecordAudit(tx, actor, "token.create", info.id,
                json{{"name", info.name},
                     {"scopes", info.scopes},
                     {"model", info.model ? json(*info.model) : json(nullptr)}});
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
    RecordAudit(tx, actor, "token.delete", id, json{{"name", *name}});
    return Ok{};
  });
  if (!st.ok()) return st;
  spdlog::info("token revoked: id={} by {}", id, actor);
  if (options_.on_revoke) options_.on_revoke();
  return st;
}

}  // namespace driftgate::service
