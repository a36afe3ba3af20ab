// driftgate: the composition root and the command line (API.md "Command line").
//   driftgate serve    the HTTP service          driftgate migrate   apply migrations/
//   driftgate replay   a detector over a file    driftgate compare   a two-sample test on two files
// Builds Config → logger → pool → services → dispatcher → server, passing references (STYLE.md #1).
#include <signal.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "api/server.h"
#include "app/backtest_cli.h"
#include "app/suggest_cli.h"
#include "db/exec.h"
#include "db/migrator.h"
#include "db/pool.h"
#include "service/access/audit.h"
#include "service/access/auth.h"
#include "service/reporting/backtest_service.h"
#include "service/reporting/suggest_service.h"
#if __has_include("service/cli/replay.h")
#include "service/cli/replay.h"
#define DRIFTGATE_HAS_REPLAY 1
#endif
#if __has_include("service/cli/compare.h")
#include "service/cli/compare.h"
#define DRIFTGATE_HAS_COMPARE 1
#endif
#include "app/config.h"
#include "app/secret_reseal.h"
#include "service/access/tokens_service.h"
#include "service/drift/drift_monitor.h"
#include "service/ingest/ingest_service.h"
#include "service/lifecycle/archive.h"
#include "service/lifecycle/retention.h"
#include "service/models/models_service.h"
#include "service/observability/ledger_metrics.h"
#include "service/observability/telemetry.h"
#include "service/reporting/grid_forecast_service.h"
#include "service/reporting/history_service.h"
#include "service/reporting/sustainability_service.h"
#include "service/retrains/retrains_service.h"
#include "service/webhooks/dispatcher.h"
#include "service/webhooks/transport/allow_list.h"
#include "service/webhooks/transport/http_transport.h"

namespace {

using namespace driftgate;

constexpr const char* kUsage =
    "usage: driftgate <command> [options]\n"
    "  serve   [--port N] [--db URL] [--bind ADDR] [--threads N] [--pool-size N] [--db-prepared on|off]\n"
    "          [--max-body-bytes N] [--max-records N] [--log-level LEVEL] [--rate-limit-rps X] "
    "[--rate-limit-burst N]\n"
    "          [--webhook-allow LIST] [--ui-dir DIR]   (env: DRIFTGATE_DB_URL, DRIFTGATE_ADMIN_TOKEN, ...)\n"
    "  migrate [--db URL]\n"
    "  replay  --detector NAME[:param=value,...] [--input FILE]\n"
    "  compare --test NAME --reference FILE --current FILE [--categorical] [--threshold X]\n"
    "  backtest --model M --config FILE [--from T] [--to T] [--assume-retrain-hours H] [--db URL]\n"
    "  suggest --model M [--from T] [--to T] [--tolerance X] [--relative-tolerance X] [--kpis a,b]\n"
    "          [--assume-retrain-hours H] [--db URL]   (thresholds from a labelled baseline)\n"
    "  restore --file FILE [--db URL]   (load one archived day partition back, e.g. for a backtest)\n"
    "  reseal  [--db URL]   (seal stored secrets under DRIFTGATE_SECRET_KEY; old keys in "
    "DRIFTGATE_SECRET_KEY_PREVIOUS)\n";

const char* Env(const char* name) { return std::getenv(name); }

// Where the /ui page's assets are when neither --ui-dir nor DRIFTGATE_UI_DIR says: `ui/` next to the
// binary (`make build` installs them there), else the source tree's `ui/dist` (`npm run build` in ui/).
std::string DefaultUiDir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::filesystem::path next_to_binary = ec ? std::filesystem::path("ui") : exe.parent_path() / "ui";
#ifdef DRIFTGATE_UI_SOURCE_DIR
  if (!std::filesystem::is_regular_file(next_to_binary / "index.html", ec) &&
      std::filesystem::is_regular_file(std::filesystem::path(DRIFTGATE_UI_SOURCE_DIR) / "index.html", ec)) {
    return DRIFTGATE_UI_SOURCE_DIR;
  }
#endif
  return next_to_binary.string();
}

// Rows written before secrets were sealed (plaintext, V015) are sealed at start. They keep working
// unsealed meanwhile (the dispatcher reads them as plaintext), so a database that is down or not yet
// migrated only delays this: a warning, and `driftgate reseal` does it later. A rotation is `reseal`.
void SealLegacySecrets(db::Pool& pool, const webhook::SecretBox& secrets) {
  std::string problem;
  try {
    auto sealed = service::ResealSecrets(pool, secrets, {.legacy_only = true});
    if (!sealed.ok()) {
      problem = sealed.error().message;
    } else if (sealed->models + sealed->outbox > 0) {
      spdlog::info("sealed the plaintext secrets of {} models and {} deliveries under key {}", sealed->models,
                   sealed->outbox, secrets.key_id());
    }
  } catch (const std::exception& e) {
    problem = e.what();
  }
  if (!problem.empty())
    spdlog::warn("stored plaintext secrets not sealed yet ({}); run `driftgate reseal`", problem);
}

// The log file (size-capped rotation: the file plus 2 older ones, each at most DRIFTGATE_LOG_MAX_BYTES),
// level and line format of `serve`; false when the file cannot be opened.
bool SetUpLogging(const service::ServeConfig& config) {
  if (!config.log_file.empty()) {
    try {
      spdlog::set_default_logger(
          spdlog::rotating_logger_mt("driftgate", config.log_file, config.log_max_bytes, 2));
    } catch (const std::exception& e) {
      std::cerr << "driftgate serve: cannot log to " << config.log_file << ": " << e.what() << "\n";
      return false;
    }
  }
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  return true;
}

// SIGINT and SIGTERM, blocked before any thread starts so that only the main thread receives them (it
// waits for them with sigwait: graceful shutdown); SIGPIPE ignored (a peer that went away is an error
// return, not a crash).
sigset_t BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return signals;
}

api::ApiOptions ApiOptionsOf(const service::ServeConfig& config, const std::string& ui_dir) {
  return api::ApiOptions{.limits = {.max_records = config.max_records,
                                    .max_future_skew_seconds = config.max_future_skew_seconds},
                         .max_body_bytes = config.max_body_bytes,
                         .rate_limit_rps = config.rate_limit_rps,
                         .rate_limit_burst = config.rate_limit_burst,
                         .ui_dir = ui_dir,
                         .metrics_token = config.metrics_token,
                         .cursor_key = config.cursor_key};
}

void LogUiDir(const std::string& ui_dir) {
  if (std::error_code ec;
      std::filesystem::is_regular_file(std::filesystem::path(ui_dir) / "index.html", ec)) {
    spdlog::info("ops page at /ui from {}", ui_dir);
  } else {
    spdlog::warn("ops page not installed: no index.html in {} (make build, or set DRIFTGATE_UI_DIR)", ui_dir);
  }
}

// The background workers of `serve`: started once the listener is up, stopped after it has drained.
struct Workers {
  service::Dispatcher& dispatcher;
  service::DriftMonitor& drift;
  service::Retention& retention;
};

// Serves HTTP until SIGINT or SIGTERM, then drains (readiness 503, in-flight requests finish) and stops.
int ListenUntilSignal(const service::ServeConfig& config, const api::Services& services,
                      const Workers& workers, const sigset_t& signals) {
  const std::string ui_dir = config.ui_dir.empty() ? DefaultUiDir() : config.ui_dir;
  api::Server server(
      services, ApiOptionsOf(config, ui_dir),
      api::ServerOptions{
          .bind_address = config.bind_address, .port = config.port, .threads = config.http_threads});
  try {
    server.Start();
  } catch (const std::exception& e) {
    std::cerr << "driftgate serve: cannot listen on " << config.bind_address << ":" << config.port << ": "
              << e.what() << "\n";
    return 1;
  }
  workers.dispatcher.Start();
  workers.drift.Start();
  workers.retention.Start();
  LogUiDir(ui_dir);
  spdlog::info("driftgate listening on {}:{} ({} threads, pool {})", config.bind_address, server.port(),
               config.http_threads, config.db_pool_size);

  int sig = 0;
  sigwait(&signals, &sig);  // returns on SIGINT or SIGTERM
  spdlog::info("signal {} received: draining (readiness 503, then in-flight requests finish)", sig);
  server.Drain(std::chrono::milliseconds(config.shutdown_delay_ms),
               std::chrono::milliseconds(config.shutdown_timeout_ms));
  server.Shutdown();
  workers.dispatcher.Stop();
  workers.drift.Stop();
  workers.retention.Stop();
  spdlog::info("driftgate stopped");
  return 0;
}

int Serve(const std::vector<std::string>& args) {
  auto config = service::LoadServeConfig(args, Env);
  if (!config.ok()) {
    std::cerr << "driftgate serve: " << config.error().message << "\n";
    return 2;
  }
  if (!SetUpLogging(*config)) return 2;
  const sigset_t signals = BlockShutdownSignals();

  db::UsePreparedStatements(config->db_prepared);
  db::Pool pool({.url = config->db_url, .size = config->db_pool_size});
  // Seals webhook secrets at rest; the config loader validated the keys.
  const webhook::SecretBox secrets =
      *webhook::SecretBox::Make(config->secret_key, config->secret_key_previous, nullptr);
  SealLegacySecrets(pool, secrets);
  service::Telemetry telemetry(&pool);
  // DRIFTGATE_WEBHOOK_ALLOW: checked at model create/replace, before each delivery, and (allow_connect)
  // on the address each delivery actually connects to. The config loader validated it.
  const webhook::AllowList webhook_allow = *webhook::AllowList::Parse(config->webhook_allow, nullptr);
  webhook::CurlTransport transport(
      {.connect_timeout = std::chrono::milliseconds(2000),
       .total_timeout = std::chrono::milliseconds(config->webhook_timeout_ms),
       .allow_connect = [&webhook_allow](const std::string& url, const std::string& address) {
         return webhook_allow.AllowsConnect(url, address);  // an empty list: public addresses only
       }});
  // Alert routing (service/alerts/alerts.h): DRIFTGATE_NOTIFY, the targets of models without `notify`.
  auto notify = service::LoadNotifyContext(Env("DRIFTGATE_NOTIFY"), Env("DRIFTGATE_PUBLIC_URL"), secrets,
                                           webhook_allow);
  if (!notify.ok()) {
    std::cerr << "driftgate serve: " << notify.error().message << "\n";
    return 2;
  }
  service::Dispatcher dispatcher(pool, transport, secrets,
                                 {.backoff_base_seconds = config->webhook_backoff_base_seconds,
                                  .backoff_max_seconds = config->webhook_backoff_max_seconds,
                                  .poll_interval = std::chrono::milliseconds(config->dispatch_poll_ms),
                                  .telemetry = &telemetry,
                                  .allow_list = &webhook_allow,
                                  .notify = &*notify});
  service::DriftMonitor drift(pool, {.telemetry = &telemetry});
  service::ModelsService models(pool, secrets, {.webhook_allow = &webhook_allow});
  service::IngestService ingest(pool, {.on_retrain = [&dispatcher] { dispatcher.Wake(); },
                                       .on_drift_check_due = [&drift](std::int64_t id) { drift.Enqueue(id); },
                                       .telemetry = &telemetry,
                                       .notify = &*notify});
  service::RetrainsService retrains(pool);
  service::HistoryService history(pool);
  // Scoped-token lookups cached for 2 s; failed authentications limited per client address (auth.h).
  service::Authenticator auth(config->admin_token, pool);
  service::TokensService tokens(pool, {.on_revoke = [&auth] { auth.ForgetCached(); }});
  service::AuditService audit(pool);
  service::BacktestService backtest(pool);
  service::SuggestService suggest(pool);
  service::SustainabilityService sustainability(pool);
  service::LedgerMetrics ledger_metrics(telemetry.registry(), sustainability);  // recomputed every 30 s
  service::GridForecastService grid_forecast(pool);
  service::Retention retention(pool, {.default_raw_days = config->retention_days,
                                      .archive_dir = config->archive_dir,
                                      .interval = std::chrono::seconds(config->retention_interval_seconds)});
  // Today's partitions must exist before the first batch (ingest also creates a missing one and retries).
  if (auto ready = retention.EnsureAhead(); !ready.ok()) {
    spdlog::warn("partitions not prepared yet: {}", ready.error().message);
  }

  return ListenUntilSignal(*config,
                           api::Services{.models = models,
                                         .ingest = ingest,
                                         .retrains = retrains,
                                         .history = history,
                                         .drift = drift,
                                         .auth = auth,
                                         .telemetry = &telemetry,
                                         .tokens = &tokens,
                                         .audit = &audit,
                                         .backtest = &backtest,
                                         .sustainability = &sustainability,
                                         .grid_forecast = &grid_forecast,
                                         .suggest = &suggest},
                           {.dispatcher = dispatcher, .drift = drift, .retention = retention}, signals);
}

int Migrate(const std::vector<std::string>& args) {
  const auto url = service::CommandDatabaseUrl(
      "migrate", args, Env("DRIFTGATE_DB_URL") ? Env("DRIFTGATE_DB_URL") : "", std::cerr);
  if (!url) return 2;
  auto applied = db::Migrate(*url);
  if (!applied.ok()) {
    std::cerr << "driftgate migrate: " << applied.error().message << "\n";
    return 1;
  }
  std::cout << "migrations applied: " << applied->size() << " (schema at V"
            << db::EmbeddedMigrations().back().version << ")\n";
  return 0;
}

// driftgate restore --file F [--db URL]: one archive (service/lifecycle/archive.h) back into its table.
int Restore(const std::vector<std::string>& args) {
  std::string url = Env("DRIFTGATE_DB_URL") ? Env("DRIFTGATE_DB_URL") : "";
  std::string file;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--db" || a == "--file") && i + 1 < args.size()) {
      (a == "--db" ? url : file) = args[++i];
    } else if (a.rfind("--db=", 0) == 0) {
      url = a.substr(5);
    } else if (a.rfind("--file=", 0) == 0) {
      file = a.substr(7);
    } else {
      std::cerr << "driftgate restore: unknown option " << a << "\n";
      return 2;
    }
  }
  if (file.empty() || url.empty()) {
    std::cerr << "driftgate restore: needs --file FILE and a database (--db or DRIFTGATE_DB_URL)\n";
    return 2;
  }
  db::Pool pool({.url = url, .size = 1});
  auto restored = service::RestoreArchive(pool, file);
  if (!restored.ok()) {
    std::cerr << "driftgate restore: " << restored.error().message << "\n";
    return restored.error().code == ErrorCode::kInvalidArgument ? 2 : 1;
  }
  std::cout << "{\"table\": \"" << restored->table << "\", \"partition\": \"" << restored->partition
            << "\", \"rows\": " << restored->rows << "}\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "serve") return Serve(args);
  if (command == "migrate") return Migrate(args);
  if (command == "restore") return Restore(args);
  if (command == "reseal") return driftgate::service::RunResealCommand(args, Env, std::cout, std::cerr);
  if (command == "backtest") {
    spdlog::set_default_logger(spdlog::stderr_color_mt("cli"));  // stdout carries the JSON only
    return driftgate::service::RunBacktestCommand(args, Env("DRIFTGATE_DB_URL"), std::cout, std::cerr);
  }
  if (command == "suggest") {
    spdlog::set_default_logger(spdlog::stderr_color_mt("cli"));  // stdout carries the JSON only
    return driftgate::service::RunSuggestCommand(args, Env("DRIFTGATE_DB_URL"), std::cout, std::cerr);
  }
#ifdef DRIFTGATE_HAS_REPLAY
  if (command == "replay") return driftgate::cli::RunReplay(args, std::cin, std::cout, std::cerr);
#endif
#ifdef DRIFTGATE_HAS_COMPARE
  if (command == "compare") return driftgate::cli::RunCompare(args, std::cout, std::cerr);
#endif
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "driftgate: unknown command '" << command << "'\n" << kUsage;
  return 2;
}
