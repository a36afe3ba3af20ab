// Access-control records an operator reads: scoped API tokens (never their values, which exist only in
// the answer that created them) and the audit log of admin actions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace driftgate::domain {

struct TokenInfo {
  std::string id{};  // uuid
  std::string name{};
  std::vector<std::string> scopes{};   // sorted, from {admin, ingest, read}
  std::optional<std::string> model{};  // restriction to one model name
  std::int64_t created_at_us = 0;
};

// The answer to a token creation: the value is shown once and stored only as its SHA-256.
struct CreatedToken {
  TokenInfo info{};
  std::string value{};
};

struct AuditRow {
  std::int64_t id = 0;        // insertion sequence
  std::int64_t at_us = 0;     // wall time of the action's transaction
  std::string actor{};        // a token id, or "admin-env"
  std::string action{};       // model.create, token.delete, ...
  std::string target{};       // the model name or token id acted on
  std::string detail_json{};  // a JSON object; never secrets or token values
};

}  // namespace driftgate::domain
