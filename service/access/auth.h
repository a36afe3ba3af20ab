// Bearer-token authentication and scopes (openapi.yaml, securitySchemes and tag access).
//
// Two kinds of token: the admin token from DRIFTGATE_ADMIN_TOKEN (every scope, principal "admin-env"),
// and scoped tokens created through POST /v1/tokens, stored only as SHA-256 hashes in `tokens`. A
// presented token is hashed; the admin hash is compared in constant time (CRYPTO_memcmp), then the
// tokens table is searched by the hash (its unique index) and the stored hash compared in constant time
// again. Searching by the hash leaks at most which hash prefixes exist, never the token.
//
// Lookups are cached in this process for `cache_ttl` (default 2 s), so a request does not cost a database
// round trip. Found and unknown tokens sit in two separate bounded caches (service/access/auth_cache.h) that
// evict their oldest entry when full: a flood of well-formed fake tokens costs one lookup each at most,
// and can only evict other fake tokens, never a real one. A revocation therefore takes effect within
// `cache_ttl` on every replica; ForgetCached() makes it immediate in the replica that revoked.
//
// Failed authentication is rate-limited per client address (a token bucket of failures, `throttle`):
// over it, a token that is not already cached as valid gets 429 with the seconds to wait, before any
// hashing beyond the admin check or database lookup. Behind a proxy every client shares the proxy's
// address; tokens cached as valid are never throttled, so real callers keep working through a flood.
//
// A token restricted to a model is bound to that model's identity (its id), not its name: the lookup
// joins the model by id, so after the model is deleted and a model of the same name created, the token
// matches no model and is refused on every route.
//
// Scopes: `admin` implies `read` and `ingest`; `ingest` and `read` imply nothing else (a pipeline that
// pushes data cannot read it back). A token restricted to a model is honoured only on routes with that
// `{model}`; on every other route it gets 403.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "service/access/auth_cache.h"

namespace driftgate::db {
class Pool;
}  // namespace driftgate::db

namespace driftgate::service {

enum class Scope { kIngest, kRead, kAdmin };

std::string_view ScopeName(Scope scope);
std::optional<Scope> ParseScope(std::string_view name);

using Sha256 = std::array<unsigned char, 32>;
Sha256 HashToken(std::string_view token);
std::string HexOf(const Sha256& hash);

inline constexpr const char* kAdminEnvActor = "admin-env";

// Who made a request: the audit actor, the rate-limit key and what it may do.
struct Principal {
  std::string id{};  // a token's uuid, or "admin-env"
  std::vector<Scope> scopes{};
  std::optional<std::string> model{};  // restriction to one model: its current name
  bool model_gone = false;             // restricted to a model that no longer exists: refused everywhere
  bool model_bound = true;             // false: no model has the restriction's name yet (not cached)

  // Whether the held scopes grant `needed` (admin implies read and ingest).
  bool Grants(Scope needed) const;
};

// Forbidden when `principal` lacks `needed`, or is restricted to a model and `route_model` (the route's
// `{model}`, nullopt on routes without one) is not that model.
Status Authorize(const Principal& principal, Scope needed, std::optional<std::string_view> route_model);

struct AuthenticatorOptions {
  std::chrono::milliseconds cache_ttl{2000};
  std::size_t cache_capacity = 10000;    // valid tokens remembered (oldest evicted first)
  std::size_t unknown_capacity = 10000;  // unknown tokens remembered, apart from the valid ones
  ThrottleOptions throttle{};            // failed authentications per client address
};

class Authenticator {
 public:
  // Only the admin token (no database): for tools and tests that need no scoped tokens.
  explicit Authenticator(std::string_view admin_token);
  Authenticator(std::string_view admin_token, db::Pool& pool, AuthenticatorOptions options = {});

  // `authorization` is the raw Authorization header (empty when absent); `client` the caller's address
  // (empty: not throttled). Unauthorized when missing, unknown or revoked; TooManyRequests when `client`
  // failed too often (`retry_after`, if given, gets the seconds to wait); Unavailable when the database
  // cannot say.
  Result<Principal> Authenticate(std::string_view authorization, const std::string& client = {},
                                 double* retry_after = nullptr) const;
  // Authenticate, then Authorize.
  Result<Principal> Check(std::string_view authorization, Scope needed,
                          std::optional<std::string_view> route_model = std::nullopt) const;

  // Drops every cached lookup (after a revocation in this process).
  void ForgetCached() const;

 private:
  Result<std::optional<Principal>> Lookup(const Sha256& hash) const;
  Error Failed(const std::string& client, std::string message) const;

  Sha256 admin_hash_;
  db::Pool* pool_ = nullptr;
  AuthenticatorOptions options_{};
  mutable std::mutex mu_;
  // Keys: the hash's bytes.
  mutable BoundedCache<Principal> known_{options_.cache_capacity};
  mutable BoundedCache<bool> unknown_{options_.unknown_capacity};
  mutable FailureThrottle throttle_{options_.throttle};
};

// A new scoped token value: "dg_" + URL-safe base64 (no padding) of 32 random bytes (OpenSSL RAND_bytes).
std::string NewTokenValue();
// Whether `token` has the shape NewTokenValue() gives (others are refused without a database lookup).
bool LooksLikeScopedToken(std::string_view token);

}  // namespace driftgate::service
