// Scoped API tokens (POST/GET/DELETE /v1/tokens). A token's value is "dg_" + 32 random bytes in URL-safe
// base64, returned once by Create and stored only as its SHA-256; List never has values. Revoke marks
// the row revoked (kept, so audit actors still resolve). Create and Revoke write the audit log in their
// own transaction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/access.h"
#include "core/error.h"
#include "db/handles.h"

namespace driftgate::service {

// A token to create, as api/dto/tokens.h parses it: scopes sorted, without repeats, each of "admin",
// "ingest", "read"; `model` restricts the token to one model.
struct TokenSpec {
  std::string name{};
  std::vector<std::string> scopes{};
  std::optional<std::string> model{};
};

struct TokensOptions {
  // Called after a revocation commits (the composition root drops the Authenticator's cache).
  std::function<void()> on_revoke{};
};

class TokensService {
 public:
  explicit TokensService(db::Pool& pool, TokensOptions options = {})
      : pool_(pool), options_(std::move(options)) {}

  Result<domain::CreatedToken> Create(const TokenSpec& spec, const std::string& actor);
  Result<std::vector<domain::TokenInfo>> List();
  // NotFound when no active token has this id.
  Status Revoke(const std::string& id, const std::string& actor);

 private:
  db::Pool& pool_;
  TokensOptions options_;
};

}  // namespace driftgate::service
