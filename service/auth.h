// Bearer-token authentication and scopes (API.md "Auth"). The admin token comes from the environment;
// only its SHA-256 is kept in memory, and presented tokens are compared by hash in constant time.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "core/error.h"

namespace driftgate::service {

enum class Scope { kIngest, kRead, kAdmin };

using Sha256 = std::array<unsigned char, 32>;
Sha256 HashToken(std::string_view token);

class Authenticator {
 public:
  explicit Authenticator(std::string_view admin_token) : admin_hash_(HashToken(admin_token)) {}

  // `authorization` is the raw Authorization header (empty when absent). Unauthorized when missing or
  // unknown; Forbidden when the token lacks `needed`.
  Status Check(std::string_view authorization, Scope needed) const;

 private:
  Sha256 admin_hash_;
};

}  // namespace driftgate::service
