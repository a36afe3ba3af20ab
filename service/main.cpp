// driftgate: the composition root and the command line (API.md "Command line").
//   driftgate serve    the HTTP service          driftgate migrate   apply migrations/
//   driftgate replay   a detector over a file    driftgate compare   a two-sample test on two files
// Builds Config → logger → pool → services → dispatcher → server, passing references (STYLE.md #1).
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "api/server.h"
#include "db/migrator.h"
#include "db/pool.h"
#include "service/auth.h"
#if __has_include("service/cli/replay.h")
#include "service/cli/replay.h"
#define DRIFTGATE_HAS_REPLAY 1
#endif
#if __has_include("service/cli/compare.h")
#include "service/cli/compare.h"
#define DRIFTGATE_HAS_COMPARE 1
#endif
#include "service/config.h"
#include "service/dispatcher.h"
#include "service/drift_monitor.h"
#include "service/history_service.h"
#include "service/ingest_service.h"
#include "service/models_service.h"
#include "service/retrains_service.h"
#include "service/webhook/http_transport.h"

namespace {

using namespace driftgate;

constexpr const char* kUsage =
    "usage: driftgate <command> [options]\n"
    "  serve   [--port N] [--db URL] [--bind ADDR] [--threads N] [--pool-size N] [--max-body-bytes N]\n"
    "          [--max-records N] [--log-level LEVEL]   (env: DRIFTGATE_DB_URL, DRIFTGATE_ADMIN_TOKEN, ...)\n"
    "  migrate [--db URL]\n"
    "  replay  --detector NAME[:param=value,...] [--input FILE]\n"
    "  compare --test NAME --reference FILE --current FILE [--categorical] [--threshold X]\n";

const char* Env(const char* name) { return std::getenv(name); }

int Serve(const std::vector<std::string>& args) {
  auto config = service::LoadServeConfig(args, Env);
  if (!config.ok()) {
    std::cerr << "driftgate serve: " << config.error().message << "\n";
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(config->log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);

  // Signals are blocked before any thread starts, then awaited on this thread (graceful shutdown).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  db::Pool pool({.url = config->db_url, .size = config->db_pool_size});
  webhook::CurlTransport transport({.connect_timeout = std::chrono::milliseconds(2000),
                                    .total_timeout = std::chrono::milliseconds(config->webhook_timeout_ms)});
  service::Dispatcher dispatcher(pool, transport,
                                 {.backoff_base_seconds = config->webhook_backoff_base_seconds,
                                  .backoff_max_seconds = config->webhook_backoff_max_seconds,
                                  .poll_interval = std::chrono::milliseconds(config->dispatch_poll_ms)});
  service::DriftMonitor drift(pool, {});
  service::ModelsService models(pool);
  service::IngestService ingest(pool, {.on_retrain = [&dispatcher] { dispatcher.Wake(); },
                                       .on_drift_check_due = [&drift](std::int64_t id) { drift.Enqueue(id); }});
  service::RetrainsService retrains(pool);
  service::HistoryService history(pool);
  service::Authenticator auth(config->admin_token);

  api::Server server(
      api::Services{.models = models, .ingest = ingest, .retrains = retrains, .history = history, .drift = drift, .auth = auth},
      api::ApiOptions{.limits = {.max_records = config->max_records}, .max_body_bytes = config->max_body_bytes},
      api::ServerOptions{.bind_address = config->bind_address, .port = config->port, .threads = config->http_threads});
  try {
    server.Start();
  } catch (const std::exception& e) {
    std::cerr << "driftgate serve: cannot listen on " << config->bind_address << ":" << config->port << ": "
              << e.what() << "\n";
    return 1;
  }
  dispatcher.Start();
  drift.Start();
  spdlog::info("driftgate listening on {}:{} ({} threads, pool {})", config->bind_address, server.port(),
               config->http_threads, config->db_pool_size);

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("signal {} received: draining (readiness 503, then in-flight requests finish)", sig);
  server.Drain(std::chrono::milliseconds(config->shutdown_delay_ms),
               std::chrono::milliseconds(config->shutdown_timeout_ms));
  server.Shutdown();
  dispatcher.Stop();
  drift.Stop();
  spdlog::info("driftgate stopped");
  return 0;
}

int Migrate(const std::vector<std::string>& args) {
  std::string url = Env("DRIFTGATE_DB_URL") ? Env("DRIFTGATE_DB_URL") : "";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--db" && i + 1 < args.size()) {
      url = args[++i];
    } else if (args[i].rfind("--db=", 0) == 0) {
      url = args[i].substr(5);
    } else {
      std::cerr << "driftgate migrate: unknown option " << args[i] << "\n";
      return 2;
    }
  }
  if (url.empty()) {
    std::cerr << "driftgate migrate: no database: set --db or DRIFTGATE_DB_URL\n";
    return 2;
  }
  auto applied = db::Migrate(url);
  if (!applied.ok()) {
    std::cerr << "driftgate migrate: " << applied.error().message << "\n";
    return 1;
  }
  std::cout << "migrations applied: " << applied->size() << " (schema at V" << db::EmbeddedMigrations().back().version
            << ")\n";
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
