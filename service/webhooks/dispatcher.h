// The webhook dispatcher: a thread in every replica that drains the transactional outbox.
// It claims due rows (FOR UPDATE SKIP LOCKED with a lease), POSTs each signed as Standard Webhooks do
// (stable `webhook-id`, fresh `webhook-timestamp` per attempt), and records the outcome: 2xx delivered,
// 410 gone (stop), anything else retried after an exponential backoff with ±20% jitter
// (base · 2^(attempt−1), capped). Wake() cuts the wait short after a commit that requested a retrain.
// The row's secret and secret header values are sealed (service/webhooks/webhook_secrets.h): they are opened
// here, per attempt, and never written back; one that does not open (its key is not configured) is
// retried like a failed attempt, so fixing the key configuration loses no delivery.
#pragma once

#include <atomic>
#include <chrono>
#include <random>

#include "db/pool.h"
#include "service/alerts/alerts.h"
#include "service/lifecycle/periodic_worker.h"
#include "service/observability/telemetry.h"
#include "service/webhooks/transport/allow_list.h"
#include "service/webhooks/transport/http_transport.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::service {

struct DispatcherOptions {
  double backoff_base_seconds = 1.0;
  double backoff_max_seconds = 3600.0;
  double lease_seconds = 60.0;
  std::chrono::milliseconds poll_interval{1000};  // the longest sleep; other replicas' rows are found by it
  int batch = 16;
  Telemetry* telemetry = nullptr;  // optional: counts deliveries, failed attempts and 410s
  // DRIFTGATE_WEBHOOK_ALLOW, checked again before each attempt (the transport's allow_connect checks the
  // resolved address). A refused delivery ends 'failed' with kBlockedError and is never retried.
  const webhook::AllowList* allow_list = nullptr;
  // Alert routing: a retrain webhook's failed attempt opens the delivery_failed alert, its delivery
  // resolves it (service/alerts/alerts.h). Optional.
  const NotifyContext* notify = nullptr;
};

inline constexpr const char* kBlockedError = "blocked by DRIFTGATE_WEBHOOK_ALLOW";

class Dispatcher {
 public:
  // `secrets` opens the sealed secret and header values of each delivery right before it is sent.
  Dispatcher(db::Pool& pool, webhook::Transport& transport, const webhook::SecretBox& secrets,
             DispatcherOptions options);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void Start();
  // Finishes the delivery in progress and stops.
  void Stop();
  void Wake();

  // Delivers everything due now, on the caller's thread; returns how many attempts were made.
  int RunOnce();

  std::uint64_t delivered() const { return delivered_; }
  std::uint64_t failed_attempts() const { return failed_; }

 private:
  // One pass of the background thread: deliver what is due, then sleep until the next row is due (at most
  // poll_interval, which finds rows enqueued by other replicas).
  std::chrono::milliseconds Pass();
  double BackoffSeconds(int attempts);

  db::Pool& pool_;
  webhook::Transport& transport_;
  const webhook::SecretBox& secrets_;
  DispatcherOptions options_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<std::uint64_t> failed_{0};
  BackgroundWorker worker_{"webhook dispatcher"};  // last: stops before the members its passes use
};

}  // namespace driftgate::service
