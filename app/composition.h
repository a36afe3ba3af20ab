// The composition root of `driftgate serve`: from a ServeConfig it builds the pool, the services, the
// background workers and the HTTP server, and starts and stops them in order. app/main.cpp serves with it
// and tests/support/test_server.cpp runs the same wiring in-process, so the api tier tests what production
// runs; only the settings differ (its ServeConfig, and CompositionTuning: shorter intervals, no retention).
#pragma once

#include <chrono>
#include <memory>

#include "api/server.h"
#include "app/config.h"
#include "core/error.h"
#include "db/handles.h"
#include "service/access/auth.h"
#include "service/lifecycle/retention.h"
#include "service/observability/ledger_metrics.h"
#include "service/observability/telemetry.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::app {

// What `serve` leaves at its defaults and the in-process test servers shorten or switch.
struct CompositionTuning {
  // The box webhook secrets are sealed with; nullptr: one made from config.secret_key(_previous).
  const webhook::SecretBox* secrets = nullptr;
  std::chrono::milliseconds webhook_connect_timeout{2000};  // the total is config.webhook_timeout_ms
  service::Telemetry::Options telemetry{};
  service::LedgerMetricsOptions ledger_metrics{};
  service::AuthenticatorOptions auth{};
  // Start runs the retention thread, whose first pass drops expired partitions at once.
  bool run_retention = true;
};

class Composition {
 public:
  // InvalidArgument names the variable when DRIFTGATE_NOTIFY or DRIFTGATE_PUBLIC_URL is refused; `config`
  // is what LoadServeConfig validated (the secret key and the allow list parse).
  static Result<std::unique_ptr<Composition>> Make(const service::ServeConfig& config,
                                                   CompositionTuning tuning = {});
  ~Composition();
  Composition(const Composition&) = delete;
  Composition& operator=(const Composition&) = delete;

  // The listener first, then the background workers (dispatcher, drift monitor, retention), so that no
  // worker runs for a server that could not bind. Throws what the listener throws.
  void Start();
  // After whatever drain the caller did on server(): the listener stops, then the workers (each waits for
  // a pass in progress). Idempotent; the destructor calls it.
  void Stop();

  api::Server& server();
  db::Pool& pool();
  const webhook::SecretBox& secrets() const;
  service::Retention& retention();

 private:
  struct Parts;
  explicit Composition(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
  bool started_ = false;
};

}  // namespace driftgate::app
