// Typed configuration of `driftgate serve`, loaded once at start and validated (fail fast). Flags win
// over DRIFTGATE_* environment variables, which win over defaults. Secrets come from the environment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.h"

namespace driftgate::service {

struct ServeConfig {
  std::string db_url{};                    // --db, DRIFTGATE_DB_URL (required)
  std::string bind_address = "127.0.0.1";  // --bind, DRIFTGATE_BIND (0.0.0.0: every interface)
  std::uint16_t port = 8080;               // --port, DRIFTGATE_PORT (0: any free port)
  int http_threads = 8;                    // --threads, DRIFTGATE_HTTP_THREADS
  std::size_t db_pool_size = 0;            // --pool-size, DRIFTGATE_DB_POOL (0: http_threads + 2)
  bool db_prepared =
      true;  // --db-prepared, DRIFTGATE_DB_PREPARED on|off (off for PgBouncer < 1.21; db/exec.h)
  std::string admin_token{};  // DRIFTGATE_ADMIN_TOKEN (required, never logged)
  // DRIFTGATE_SECRET_KEY (required; base64 of 32 bytes) seals webhook secrets at rest;
  // DRIFTGATE_SECRET_KEY_PREVIOUS (comma-separated) only opens, during a rotation. Never logged.
  std::string secret_key{};
  std::string secret_key_previous{};
  std::string metrics_token{};  // DRIFTGATE_METRICS_TOKEN: bearer token GET /metrics requires (empty: open)
  std::size_t max_body_bytes = 8u << 20;  // --max-body-bytes, DRIFTGATE_MAX_BODY_BYTES
  std::size_t max_records = 10000;        // --max-records, DRIFTGATE_MAX_RECORDS
  // How far after the server clock a record's ts may lie (core/domain/time.h has the whole time domain).
  std::int64_t max_future_skew_seconds = 7 * 86400;  // DRIFTGATE_MAX_FUTURE_SKEW_SECONDS
  // The HMAC key of paging cursors (api/dto/cursor.h). Empty: derived from the admin token, so replicas
  // that share the token accept each other's cursors.
  std::string cursor_key{};                   // DRIFTGATE_CURSOR_KEY (secret, at least 16 characters)
  std::string log_level = "info";             // --log-level, DRIFTGATE_LOG_LEVEL
  double webhook_backoff_base_seconds = 1.0;  // DRIFTGATE_WEBHOOK_BACKOFF_BASE_SECONDS
  double webhook_backoff_max_seconds = 3600;  // DRIFTGATE_WEBHOOK_BACKOFF_MAX_SECONDS
  int webhook_timeout_ms = 10000;             // DRIFTGATE_WEBHOOK_TIMEOUT_MS
  int dispatch_poll_ms = 1000;                // DRIFTGATE_DISPATCH_POLL_MS
  int shutdown_delay_ms = 1000;     // DRIFTGATE_SHUTDOWN_DELAY_MS: /readyz is 503 this long before refusing
  int shutdown_timeout_ms = 30000;  // DRIFTGATE_SHUTDOWN_TIMEOUT_MS: longest wait for in-flight requests
  double rate_limit_rps = 0.0;      // --rate-limit-rps, DRIFTGATE_RATE_LIMIT_RPS: per token (0: off)
  double rate_limit_burst = 0.0;    // --rate-limit-burst, DRIFTGATE_RATE_LIMIT_BURST (0: max(1, rps))
  std::string webhook_allow{};      // --webhook-allow, DRIFTGATE_WEBHOOK_ALLOW (empty: any http(s) host)
  std::string ui_dir{};       // --ui-dir, DRIFTGATE_UI_DIR: the /ui page's assets (empty: main.cpp's default)
  int retention_days = 30;    // DRIFTGATE_RETENTION_DAYS: raw data of models without retention.raw_days
  std::string archive_dir{};  // DRIFTGATE_ARCHIVE_DIR: archive day partitions before dropping them
  int retention_interval_seconds = 3600;  // DRIFTGATE_RETENTION_INTERVAL_SECONDS: between retention passes
  std::string log_file{};                 // DRIFTGATE_LOG_FILE: log to rotating files instead of stderr
  std::size_t log_max_bytes = 10u << 20;  // DRIFTGATE_LOG_MAX_BYTES: size of one log file (3 files are kept)
  // Alert routing (service/alerts/alerts.h), checked when the services are built (app/composition.h).
  std::string notify{};      // DRIFTGATE_NOTIFY: JSON targets of models without their own `notify`
  std::string public_url{};  // DRIFTGATE_PUBLIC_URL: links in alerts (empty: http://localhost:8080)
};

using EnvLookup = std::function<const char*(const char*)>;

// `args` are the arguments after `serve`. InvalidArgument names the flag or variable.
Result<ServeConfig> LoadServeConfig(const std::vector<std::string>& args, const EnvLookup& env);

// The database URL of a one-shot command (`migrate`, `reseal`): `--db URL` or `--db=URL`, else `fallback`
// (DRIFTGATE_DB_URL). nullopt after telling `err` why (an unknown option, or no database at all).
std::optional<std::string> CommandDatabaseUrl(const std::string& command,
                                              const std::vector<std::string>& args, std::string fallback,
                                              std::ostream& err);

}  // namespace driftgate::service
