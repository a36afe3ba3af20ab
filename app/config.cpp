#include "app/config.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <cmath>
#include <map>

#include "service/webhooks/transport/allow_list.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::service {
namespace {

template <class T>
bool ParseNumber(const std::string& s, T& out) {
  if constexpr (std::is_floating_point_v<T>) {
    try {
      std::size_t pos = 0;
      out = std::stod(s, &pos);
      return pos == s.size() && std::isfinite(out);  // "nan" would pass every range check
    } catch (...) {
      return false;
    }
  } else {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
  }
}

struct Setting {
  const char* flag;
  const char* env;
  std::function<bool(const std::string&)> apply;
};

// Every option of `serve`: its flag (if any), its environment variable, and how it parses into `c`.
std::vector<Setting> SettingsOf(ServeConfig& c) {
  auto num = [](auto& field, auto lo, auto hi) {
    return [&field, lo, hi](const std::string& s) {
      std::remove_reference_t<decltype(field)> v{};
      if (!ParseNumber(s, v) || v < lo || v > hi) return false;
      field = v;
      return true;
    };
  };
  auto on_off = [](bool& field) {
    return [&field](const std::string& s) {
      if (s == "on" || s == "true" || s == "1") {
        field = true;
      } else if (s == "off" || s == "false" || s == "0") {
        field = false;
      } else {
        return false;
      }
      return true;
    };
  };
  auto str = [](std::string& field) {
    return [&field](const std::string& s) {
      field = s;
      return true;
    };
  };
  return {
      {"--db", "DRIFTGATE_DB_URL", str(c.db_url)},
      {"--bind", "DRIFTGATE_BIND", str(c.bind_address)},
      {"--port", "DRIFTGATE_PORT", num(c.port, std::uint16_t{0}, std::uint16_t{65535})},
      {"--threads", "DRIFTGATE_HTTP_THREADS", num(c.http_threads, 1, 256)},
      {"--pool-size", "DRIFTGATE_DB_POOL", num(c.db_pool_size, std::size_t{0}, std::size_t{1000})},
      {"--db-prepared", "DRIFTGATE_DB_PREPARED", on_off(c.db_prepared)},
      {"--max-body-bytes", "DRIFTGATE_MAX_BODY_BYTES",
       num(c.max_body_bytes, std::size_t{1024}, std::size_t{1} << 31)},
      {"--max-records", "DRIFTGATE_MAX_RECORDS", num(c.max_records, std::size_t{1}, std::size_t{1000000})},
      {nullptr, "DRIFTGATE_MAX_FUTURE_SKEW_SECONDS",
       num(c.max_future_skew_seconds, std::int64_t{0}, std::int64_t{10} * 365 * 86400)},
      {nullptr, "DRIFTGATE_CURSOR_KEY", str(c.cursor_key)},
      {"--log-level", "DRIFTGATE_LOG_LEVEL", str(c.log_level)},
      {nullptr, "DRIFTGATE_WEBHOOK_BACKOFF_BASE_SECONDS", num(c.webhook_backoff_base_seconds, 0.001, 3600.0)},
      {nullptr, "DRIFTGATE_WEBHOOK_BACKOFF_MAX_SECONDS", num(c.webhook_backoff_max_seconds, 0.001, 86400.0)},
      {nullptr, "DRIFTGATE_WEBHOOK_TIMEOUT_MS", num(c.webhook_timeout_ms, 100, 600000)},
      {nullptr, "DRIFTGATE_DISPATCH_POLL_MS", num(c.dispatch_poll_ms, 10, 600000)},
      {nullptr, "DRIFTGATE_SHUTDOWN_DELAY_MS", num(c.shutdown_delay_ms, 0, 600000)},
      {nullptr, "DRIFTGATE_SHUTDOWN_TIMEOUT_MS", num(c.shutdown_timeout_ms, 0, 600000)},
      {nullptr, "DRIFTGATE_ADMIN_TOKEN", str(c.admin_token)},
      {nullptr, "DRIFTGATE_SECRET_KEY", str(c.secret_key)},
      {nullptr, "DRIFTGATE_SECRET_KEY_PREVIOUS", str(c.secret_key_previous)},
      {nullptr, "DRIFTGATE_METRICS_TOKEN", str(c.metrics_token)},
      {"--rate-limit-rps", "DRIFTGATE_RATE_LIMIT_RPS", num(c.rate_limit_rps, 0.0, 1e6)},
      {"--rate-limit-burst", "DRIFTGATE_RATE_LIMIT_BURST", num(c.rate_limit_burst, 0.0, 1e6)},
      {"--webhook-allow", "DRIFTGATE_WEBHOOK_ALLOW", str(c.webhook_allow)},
      {"--ui-dir", "DRIFTGATE_UI_DIR", str(c.ui_dir)},
      {nullptr, "DRIFTGATE_RETENTION_DAYS", num(c.retention_days, 1, 36500)},
      {nullptr, "DRIFTGATE_ARCHIVE_DIR", str(c.archive_dir)},
      {nullptr, "DRIFTGATE_RETENTION_INTERVAL_SECONDS", num(c.retention_interval_seconds, 1, 86400 * 7)},
      {nullptr, "DRIFTGATE_LOG_FILE", str(c.log_file)},
      {nullptr, "DRIFTGATE_LOG_MAX_BYTES", num(c.log_max_bytes, std::size_t{4096}, std::size_t{1} << 40)},
      {nullptr, "DRIFTGATE_NOTIFY", str(c.notify)},
      {nullptr, "DRIFTGATE_PUBLIC_URL", str(c.public_url)},
  };
}

// Environment first, then flags (a flag wins); the first bad or unknown one is the error.
std::optional<Error> ApplySettings(const std::vector<Setting>& settings, const std::vector<std::string>& args,
                                   const EnvLookup& env) {
  for (const auto& s : settings) {
    if (const char* v = env(s.env); v && *v) {
      if (!s.apply(v)) return Error::Invalid(s.env, std::string("invalid value for ") + s.env);
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i], value;
    if (const auto eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Error::Invalid(flag, "missing value for " + flag);
    }
    bool known = false;
    for (const auto& s : settings) {
      if (s.flag && flag == s.flag) {
        known = true;
        if (!s.apply(value)) return Error::Invalid(flag, "invalid value for " + flag + ": " + value);
      }
    }
    if (!known) return Error::Invalid(flag, "unknown option " + flag);
  }
  return std::nullopt;
}

// What no single option can check: required secrets, their strength, and options that depend on others.
std::optional<Error> Validate(const ServeConfig& c) {
  if (c.db_url.empty())
    return Error::Invalid("DRIFTGATE_DB_URL", "no database: set --db or DRIFTGATE_DB_URL");
  if (c.admin_token.size() < 16) {
    return Error::Invalid("DRIFTGATE_ADMIN_TOKEN",
                          "DRIFTGATE_ADMIN_TOKEN must be set (at least 16 characters)");
  }
  if (c.secret_key.empty()) {
    return Error::Invalid(
        "DRIFTGATE_SECRET_KEY",
        "DRIFTGATE_SECRET_KEY must be set: the key that seals webhook secrets at rest, base64 of 32 "
        "random bytes (`openssl rand -base64 32`; README \"Secrets at rest\")");
  }
  if (std::string why; !webhook::SecretBox::Make(c.secret_key, c.secret_key_previous, &why)) {
    return Error::Invalid(why.rfind("DRIFTGATE_SECRET_KEY_PREVIOUS", 0) == 0 ? "DRIFTGATE_SECRET_KEY_PREVIOUS"
                                                                             : "DRIFTGATE_SECRET_KEY",
                          why);
  }
  if (!c.metrics_token.empty() && c.metrics_token.size() < 16) {
    return Error::Invalid("DRIFTGATE_METRICS_TOKEN",
                          "DRIFTGATE_METRICS_TOKEN must be empty or at least 16 characters");
  }
  if (!c.cursor_key.empty() && c.cursor_key.size() < 16) {
    return Error::Invalid("DRIFTGATE_CURSOR_KEY", "DRIFTGATE_CURSOR_KEY must have at least 16 characters");
  }
  static const std::map<std::string, int> kLevels = {{"trace", 0}, {"debug", 1}, {"info", 2},
                                                     {"warn", 3},  {"error", 4}, {"off", 6}};
  if (!kLevels.count(c.log_level))
    return Error::Invalid("--log-level", "log level must be trace|debug|info|warn|error|off");
  if (c.rate_limit_burst > 0 && c.rate_limit_burst < 1) {
    return Error::Invalid("DRIFTGATE_RATE_LIMIT_BURST",
                          "DRIFTGATE_RATE_LIMIT_BURST must be 0 (automatic) or at least 1");
  }
  if (std::string why; !webhook::AllowList::Parse(c.webhook_allow, &why)) {
    return Error::Invalid("DRIFTGATE_WEBHOOK_ALLOW", why);
  }
  return std::nullopt;
}

// Defaults derived from other options.
void DeriveDefaults(ServeConfig& c) {
  if (c.cursor_key.empty()) {
    // A key of its own, derived one-way from the admin token (HMAC-SHA256 as a PRF, RFC 2104): every replica
    // has the token, and the cursor tag reveals nothing about it.
    static constexpr std::string_view kLabel = "driftgate paging cursor key v1";
    unsigned char key[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), c.admin_token.data(), static_cast<int>(c.admin_token.size()),
         reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(), key, &len);
    c.cursor_key.assign(reinterpret_cast<const char*>(key), len);
  }
  if (c.db_pool_size == 0) c.db_pool_size = static_cast<std::size_t>(c.http_threads) + 2;
}

}  // namespace

Result<ServeConfig> LoadServeConfig(const std::vector<std::string>& args, const EnvLookup& env) {
  ServeConfig c;
  if (auto e = ApplySettings(SettingsOf(c), args, env)) return *e;
  if (auto e = Validate(c)) return *e;
  DeriveDefaults(c);
  return c;
}

std::optional<std::string> CommandDatabaseUrl(const std::string& command,
                                              const std::vector<std::string>& args, std::string fallback,
                                              std::ostream& err) {
  std::string url = std::move(fallback);
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--db" && i + 1 < args.size()) {
      url = args[++i];
    } else if (args[i].rfind("--db=", 0) == 0) {
      url = args[i].substr(5);
    } else {
      err << "driftgate " << command << ": unknown option " << args[i] << "\n";
      return std::nullopt;
    }
  }
  if (url.empty()) {
    err << "driftgate " << command << ": no database: set --db or DRIFTGATE_DB_URL\n";
    return std::nullopt;
  }
  return url;
}

}  // namespace driftgate::service
