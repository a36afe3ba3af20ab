// The tokens table (scoped API tokens, stored as SHA-256 hashes) and the audit log of admin actions.
// Hashes cross this boundary as lower-case hex; no token value ever reaches the database.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/domain/access.h"
#include "core/domain/history.h"

namespace driftgate::db {

struct StoredToken {
  std::string id{};
  std::string name{};
  std::string hash_hex{};
  std::vector<std::string> scopes{};
  std::optional<std::string> model{};       // the restriction's name at creation
  std::optional<std::string> model_name{};  // the restricted model's current name; nullopt: it was deleted
  bool model_bound = false;  // the restriction names a model id (false: no model of its name yet)
  bool revoked = false;
};

// Stores a new token by its hash; `scopes` come from the fixed vocabulary (admin, ingest, read).
domain::TokenInfo InsertToken(pqxx::transaction_base& tx, const std::string& name,
                              const std::string& hash_hex, const std::vector<std::string>& scopes,
                              const std::optional<std::string>& model);
// The token with this SHA-256 (revoked or not); nullopt when none has it. Binds a model restriction that
// is not bound yet to the model of its name, when one exists (a write: call it in a read-write transaction).
std::optional<StoredToken> FindTokenByHash(pqxx::transaction_base& tx, const std::string& hash_hex);
// Tokens that are not revoked, oldest first.
std::vector<domain::TokenInfo> ListTokens(pqxx::transaction_base& tx);
// Revokes an active token; returns its name, nullopt when there is no active token with this id.
std::optional<std::string> RevokeToken(pqxx::transaction_base& tx, const std::string& id);

void InsertAudit(pqxx::transaction_base& tx, const std::string& actor, const std::string& action,
                 const std::string& target, const std::string& detail_json);
// Oldest first by (at, id); the cursor is the last item's (at, id).
domain::Page<domain::AuditRow> ListAudit(pqxx::transaction_base& tx, const domain::PageQuery& q);

}  // namespace driftgate::db
