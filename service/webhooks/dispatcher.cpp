#include "service/webhooks/dispatcher.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <pqxx/pqxx>

#include "codec/notify_payload.h"
#include "db/outbox_repo.h"
#include "db/pool.h"
#include "service/webhooks/outbox_headers.h"
#include "service/webhooks/transport/signature.h"
#include "service/webhooks/webhook_secrets.h"

namespace driftgate::service {
namespace {

// Airflow answers 409 when a DAG run with the delivery's stable dag_run_id exists: an earlier attempt got
// through and only its answer was lost.
bool AlreadyAccepted(const db::OutboxItem& item, const webhook::PostResult& res) {
  return item.format == "airflow" && res.status == 409;
}

}  // namespace

Dispatcher::Dispatcher(db::Pool& pool, webhook::Transport& transport, const webhook::SecretBox& secrets,
                       DispatcherOptions options)
    : pool_(pool), transport_(transport), secrets_(secrets), options_(options) {}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Start() {
  worker_.Start([this] { return Pass(); });
}

void Dispatcher::Stop() { worker_.Stop(); }

void Dispatcher::Wake() { worker_.Wake(); }

double Dispatcher::BackoffSeconds(int attempts) {
  const double exp = options_.backoff_base_seconds * std::pow(2.0, std::max(0, attempts - 1));
  std::uniform_real_distribution<double> jitter(0.8, 1.2);
  return std::min(options_.backoff_max_seconds, exp) * jitter(rng_);
}

int Dispatcher::RunOnce() {
  auto claimed = db::Transact<std::vector<db::OutboxItem>>(
      pool_, [&](pqxx::work& tx) -> Result<std::vector<db::OutboxItem>> {
        return db::ClaimOutbox(tx, options_.batch, options_.lease_seconds);
      });
  if (!claimed.ok()) return 0;
  for (const auto& item : *claimed) {
    const std::int64_t ts =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    webhook::HeaderList headers{{"Content-Type", "application/json"},
                                {"webhook-id", item.id},
                                {"webhook-timestamp", std::to_string(ts)}};
    // The signing secret and the extra headers (the format's and the model's, rendered at decision time;
    // never logged), opened from their sealed form for this attempt only.
    auto secret = OpenSecretValue(item.secret, kWebhookSecretPurpose, secrets_, item.legacy_plaintext);
    auto extra = HeadersFromJson(item.headers_json, secrets_, item.legacy_plaintext);
    const std::optional<Error> unsealed = !secret.ok()  ? std::optional(secret.error())
                                          : !extra.ok() ? std::optional(extra.error())
                                                        : std::nullopt;
    std::string body = item.body;
    if (!unsealed && item.format == "pagerduty") {
      body = codec::WithRoutingKey(item.body, *secret);  // PagerDuty authenticates by the key in the body
    } else if (!unsealed) {
      if (!secret->empty())
        headers.emplace_back("webhook-signature", webhook::Sign(*secret, item.id, ts, item.body));
      for (auto& header : *extra) headers.push_back(std::move(header));
    }
    const bool url_allowed = options_.allow_list == nullptr || options_.allow_list->AllowsUrl(item.url);
    const webhook::PostResult res =
        unsealed
            ? webhook::PostResult{.error = unsealed->message, .error_kind = webhook::TransportError::kOther}
        : url_allowed ? transport_.Post(item.url, headers, body)
                      : webhook::PostResult{.error = "host not allowed",
                                            .error_kind = webhook::TransportError::kBlocked};
    auto recorded = db::Transact<Ok>(pool_, [&](pqxx::work& tx) -> Status {
      if (res.error_kind == webhook::TransportError::kBlocked) {
        db::FailOutbox(tx, item.id, kBlockedError);
        if (options_.notify) NoteRetrainDelivery(tx, item.id, false, kBlockedError, *options_.notify);
      } else if (res.Succeeded() || AlreadyAccepted(item, res)) {
        db::FinishOutbox(tx, item.id, "delivered", res.status);
        if (options_.notify) NoteRetrainDelivery(tx, item.id, true, "", *options_.notify);
      } else if (res.status == 410) {
        db::FinishOutbox(tx, item.id, "gone", res.status);
      } else {
        const std::string error = res.Answered() ? "HTTP " + std::to_string(res.status) : res.error;
        db::RetryOutbox(tx, item.id, BackoffSeconds(item.attempts), res.status, error);
        if (options_.notify) NoteRetrainDelivery(tx, item.id, false, error, *options_.notify);
      }
      return Ok{};
    });
    if (options_.telemetry) {
      options_.telemetry->RecordWebhook(
          res.error_kind == webhook::TransportError::kBlocked ? WebhookOutcome::kBlocked
          : res.Succeeded() || AlreadyAccepted(item, res)     ? WebhookOutcome::kDelivered
          : res.status == 410                                 ? WebhookOutcome::kGone
                                                              : WebhookOutcome::kFailed);
    }
    if (res.Succeeded() || AlreadyAccepted(item, res)) {
      ++delivered_;
      spdlog::info("webhook delivered: id={} status={} attempt={} {:.1f} ms", item.id, res.status,
                   item.attempts, res.seconds * 1000);
    } else {
      ++failed_;
      spdlog::warn("webhook attempt failed: id={} attempt={} status={} error=\"{}\"{}", item.id,
                   item.attempts, res.status, res.error,
                   res.error_kind == webhook::TransportError::kBlocked ? " (DRIFTGATE_WEBHOOK_ALLOW: stopped)"
                   : res.status == 410                                 ? " (410: stopped)"
                                                                       : "");
    }
    if (!recorded.ok()) spdlog::warn("webhook outcome not recorded (lease will expire): id={}", item.id);
  }
  return static_cast<int>(claimed->size());
}

std::chrono::milliseconds Dispatcher::Pass() {
  int attempts = 0;
  try {
    attempts = RunOnce();
  } catch (const std::exception& e) {
    spdlog::error("webhook dispatcher error: {}", e.what());
  }
  if (attempts > 0) return std::chrono::milliseconds(0);  // drain before sleeping
  auto wait = options_.poll_interval;
  try {
    auto due = db::Transact<std::optional<double>>(
        pool_, [](pqxx::work& tx) -> Result<std::optional<double>> { return db::NextOutboxDue(tx); });
    if (due.ok() && *due) {
      const auto ms = std::chrono::milliseconds(static_cast<long>(std::max(0.0, **due) * 1000) + 5);
      wait = std::min(wait, ms);
    }
  } catch (const std::exception& e) {
    spdlog::error("webhook dispatcher error: {}", e.what());
  }
  return wait;
}

}  // namespace driftgate::service
