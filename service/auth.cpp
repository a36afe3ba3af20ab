#include "service/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace driftgate::service {

Sha256 HashToken(std::string_view token) {
  Sha256 out{};
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

Status Authenticator::Check(std::string_view authorization, Scope /*needed*/) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() || authorization.substr(0, kBearer.size()) != kBearer) {
    return Error{ErrorCode::kUnauthorized, "missing bearer token (Authorization: Bearer <token>)", {}};
  }
  const Sha256 presented = HashToken(authorization.substr(kBearer.size()));
  if (CRYPTO_memcmp(presented.data(), admin_hash_.data(), presented.size()) != 0) {
    return Error{ErrorCode::kUnauthorized, "unknown or revoked token", {}};
  }
  return Ok{};  // the admin token holds every scope
}

}  // namespace driftgate::service
