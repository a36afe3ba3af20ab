#include "service/access/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <pqxx/pqxx>
#include <stdexcept>

#include "db/access_repo.h"
#include "db/pool.h"

namespace driftgate::service {
namespace {

constexpr std::string_view kTokenPrefix = "dg_";
constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenChars = 43;  // base64 of 32 bytes without padding

std::string Base64Url(const unsigned char* data, std::size_t n) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    acc = (acc << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  return out;
}

std::optional<Sha256> HashFromHex(const std::string& hex) {
  if (hex.size() != 64) return std::nullopt;
  Sha256 out{};
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return out;
}

Error Unauthorized(std::string message) { return Error{ErrorCode::kUnauthorized, std::move(message), {}}; }
Error Forbidden(std::string message) { return Error{ErrorCode::kForbidden, std::move(message), {}}; }

}  // namespace

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kIngest:
      return "ingest";
    case Scope::kRead:
      return "read";
    case Scope::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::optional<Scope> ParseScope(std::string_view name) {
  for (Scope s : {Scope::kIngest, Scope::kRead, Scope::kAdmin}) {
    if (ScopeName(s) == name) return s;
  }
  return std::nullopt;
}

Sha256 HashToken(std::string_view token) {
  Sha256 out{};
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

std::string HexOf(const Sha256& hash) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(hash.size() * 2);
  for (unsigned char b : hash) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

std::string NewTokenValue() {
  unsigned char bytes[kTokenBytes];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for a token");
  std::string value = std::string(kTokenPrefix) + Base64Url(bytes, sizeof bytes);
  OPENSSL_cleanse(bytes, sizeof bytes);
  return value;
}

bool LooksLikeScopedToken(std::string_view token) {
  if (token.size() != kTokenPrefix.size() + kTokenChars ||
      token.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    return false;
  }
  return std::all_of(token.begin() + static_cast<std::ptrdiff_t>(kTokenPrefix.size()), token.end(),
                     [](char c) {
                       return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                              c == '-' || c == '_';
                     });
}

bool Principal::Grants(Scope needed) const {
  return std::any_of(scopes.begin(), scopes.end(),
                     [needed](Scope s) { return s == needed || s == Scope::kAdmin; });
}

Status Authorize(const Principal& principal, Scope needed, std::optional<std::string_view> route_model) {
  if (!principal.Grants(needed)) {
    return Forbidden("this token lacks the '" + std::string(ScopeName(needed)) + "' scope");
  }
  if (principal.model_gone) return Forbidden("this token's model was deleted");
  if (principal.model && (!route_model || *route_model != *principal.model)) {
    return Forbidden("this token is restricted to model '" + *principal.model + "'");
  }
  return Ok{};
}

Authenticator::Authenticator(std::string_view admin_token) : admin_hash_(HashToken(admin_token)) {}

Authenticator::Authenticator(std::string_view admin_token, db::Pool& pool, AuthenticatorOptions options)
    : admin_hash_(HashToken(admin_token)), pool_(&pool), options_(options) {}

Error Authenticator::Failed(const std::string& client, std::string message) const {
  std::lock_guard lock(mu_);
  throttle_.RecordFailure(client, std::chrono::steady_clock::now());
  return Unauthorized(std::move(message));
}

Result<Principal> Authenticator::Authenticate(std::string_view authorization, const std::string& client,
                                              double* retry_after) const {
  constexpr std::string_view kBearer = "Bearer ";
  const auto now = std::chrono::steady_clock::now();
  const bool bearer =
      authorization.size() > kBearer.size() && authorization.substr(0, kBearer.size()) == kBearer;
  const std::string_view token = bearer ? authorization.substr(kBearer.size()) : std::string_view();
  const Sha256 presented = HashToken(token);
  if (bearer && CRYPTO_memcmp(presented.data(), admin_hash_.data(), presented.size()) == 0) {
    return Principal{.id = kAdminEnvActor, .scopes = {Scope::kAdmin}, .model = std::nullopt};
  }
  const std::string key(reinterpret_cast<const char*>(presented.data()), presented.size());
  {
    std::lock_guard lock(mu_);
    if (const Principal* p = bearer ? known_.Find(key, now) : nullptr) return *p;
    if (auto wait = throttle_.Wait(client, now)) {
      if (retry_after) *retry_after = *wait;
      return Error{ErrorCode::kTooManyRequests, "too many failed authentications from this address", {}};
    }
    if (bearer && unknown_.Find(key, now)) {
      throttle_.RecordFailure(client, now);
      return Unauthorized("unknown or revoked token");
    }
  }
  if (!bearer) return Failed(client, "missing bearer token (Authorization: Bearer <token>)");
  if (pool_ == nullptr || !LooksLikeScopedToken(token)) return Failed(client, "unknown or revoked token");

  auto found = Lookup(presented);
  if (!found.ok()) return found.error();  // not cached: the next request asks again
  std::lock_guard lock(mu_);
  if (!*found) {
    unknown_.Put(key, true, now + options_.cache_ttl);
    throttle_.RecordFailure(client, now);
    return Unauthorized("unknown or revoked token");
  }
  // Not cached while its model does not exist yet: the lookup that first finds that model binds it.
  if ((*found)->model_bound) known_.Put(key, **found, now + options_.cache_ttl);
  return **found;
}

Result<std::optional<Principal>> Authenticator::Lookup(const Sha256& hash) const {
  return db::Transact<std::optional<Principal>>(
      *pool_, [&](pqxx::work& tx) -> Result<std::optional<Principal>> {
        auto stored = db::FindTokenByHash(tx, HexOf(hash));
        if (!stored || stored->revoked) return std::optional<Principal>{};
        const auto stored_hash = HashFromHex(stored->hash_hex);
        if (!stored_hash || CRYPTO_memcmp(stored_hash->data(), hash.data(), hash.size()) != 0) {
          return std::optional<Principal>{};
        }
        // The restriction is the model's id; its name is looked up by that id (a model deleted and
        // created again under the same name is another model).
        Principal p{.id = stored->id,
                    .scopes = {},
                    .model = stored->model_name,
                    .model_gone = stored->model.has_value() && !stored->model_name.has_value(),
                    .model_bound = !stored->model.has_value() || stored->model_bound};
        for (const auto& name : stored->scopes) {
          if (auto s = ParseScope(name)) p.scopes.push_back(*s);
        }
        return std::optional<Principal>(std::move(p));
      });
}

Result<Principal> Authenticator::Check(std::string_view authorization, Scope needed,
                                       std::optional<std::string_view> route_model) const {
  auto principal = Authenticate(authorization);
  if (!principal.ok()) return principal;
  if (auto st = Authorize(*principal, needed, route_model); !st.ok()) return st.error();
  return principal;
}

void Authenticator::ForgetCached() const {
  std::lock_guard lock(mu_);
  known_.Clear();
  unknown_.Clear();
}

}  // namespace driftgate::service
