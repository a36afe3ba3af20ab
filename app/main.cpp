// driftgate: the command line (README.md "Command line"); `serve` runs app/composition.h.
//   driftgate serve    the HTTP service          driftgate migrate   apply migrations/
//   driftgate replay   a detector over a file    driftgate compare   a two-sample test on two files
// Serve: Config → logger → app::Composition (pool, services, workers, server; app/composition.h).
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
#include "app/composition.h"
#include "app/config.h"
#include "app/secret_reseal.h"
#include "app/suggest_cli.h"
#include "db/migrator.h"
#include "db/pool.h"
#include "service/lifecycle/archive.h"
#include "service/lifecycle/retention.h"
#include "service/webhooks/transport/secret_box.h"
#if __has_include("service/cli/replay.h")
#include "service/cli/replay.h"
#define DRIFTGATE_HAS_REPLAY 1
#endif
#if __has_include("service/cli/compare.h")
#include "service/cli/compare.h"
#define DRIFTGATE_HAS_COMPARE 1
#endif

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

void LogUiDir(const std::string& ui_dir) {
  if (std::error_code ec;
      std::filesystem::is_regular_file(std::filesystem::path(ui_dir) / "index.html", ec)) {
    spdlog::info("ops page at /ui from {}", ui_dir);
  } else {
    spdlog::warn("ops page not installed: no index.html in {} (make build, or set DRIFTGATE_UI_DIR)", ui_dir);
  }
}

// Serves HTTP until SIGINT or SIGTERM, then drains (readiness 503, in-flight requests finish) and stops.
int ListenUntilSignal(const service::ServeConfig& config, app::Composition& app, const sigset_t& signals) {
  try {
    app.Start();
  } catch (const std::exception& e) {
    std::cerr << "driftgate serve: cannot listen on " << config.bind_address << ":" << config.port << ": "
              << e.what() << "\n";
    return 1;
  }
  LogUiDir(config.ui_dir);
  spdlog::info("driftgate listening on {}:{} ({} threads, pool {})", config.bind_address, app.server().port(),
               config.http_threads, config.db_pool_size);

  int sig = 0;
  sigwait(&signals, &sig);  // returns on SIGINT or SIGTERM
  spdlog::info("signal {} received: draining (readiness 503, then in-flight requests finish)", sig);
  app.server().Drain(std::chrono::milliseconds(config.shutdown_delay_ms),
                     std::chrono::milliseconds(config.shutdown_timeout_ms));
  app.Stop();
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
  if (config->ui_dir.empty()) config->ui_dir = DefaultUiDir();
  const sigset_t signals = BlockShutdownSignals();

  auto app = app::Composition::Make(*config);
  if (!app.ok()) {
    std::cerr << "driftgate serve: " << app.error().message << "\n";
    return 2;
  }
  SealLegacySecrets((*app)->pool(), (*app)->secrets());
  // Today's partitions must exist before the first batch (ingest also creates a missing one and retries).
  if (auto ready = (*app)->retention().EnsureAhead(); !ready.ok()) {
    spdlog::warn("partitions not prepared yet: {}", ready.error().message);
  }
  return ListenUntilSignal(*config, **app, signals);
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
