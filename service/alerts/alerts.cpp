#include "service/alerts/alerts.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <pqxx/pqxx>

#include "codec/model_config.h"
#include "codec/notify_config.h"
#include "codec/notify_payload.h"
#include "db/alerts_repo.h"
#include "db/models_repo.h"
#include "db/outbox_repo.h"
#include "db/pool.h"
#include "service/models/models_service.h"
#include "service/models/notify_secrets.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::service {
namespace {

using domain::NotifyTarget;

constexpr const char* kConditions[] = {"kpi_breach", "data_quality", "warn"};

// The events that subscribe a target to a condition.
bool Subscribed(const NotifyTarget& t, const std::string& condition) {
  auto has = [&](const char* e) { return std::find(t.events.begin(), t.events.end(), e) != t.events.end(); };
  if (condition == "kpi_breach") return has("retrain") || has("suppressed");
  return has(condition.c_str());
}

bool AnySubscribed(const std::vector<NotifyTarget>& targets, const std::string& condition) {
  return std::any_of(targets.begin(), targets.end(), [&](const auto& t) { return Subscribed(t, condition); });
}

// Whether `condition` holds after the evaluation `out`.
bool Holds(const std::string& condition, const evaluate::Outcome& out) {
  if (condition == "kpi_breach") {
    return std::any_of(out.kpis.begin(), out.kpis.end(), [](const auto& k) { return k.confirmed; });
  }
  if (condition == "data_quality") return out.reason_code == "suppressed:data_quality";
  return out.action == evaluate::Action::kWarn;
}

std::string UiUrl(const NotifyContext& ctx, const std::string& model) {
  std::string base = ctx.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/ui/#/models/" + model;
}

// One outbox row per subscribed target. The outbox id is stable per (alert, state number, target), so
// the receiver's idempotency key (webhook-id) is the same across retries.
void Queue(pqxx::transaction_base& tx, const domain::Model& model, const NotifyContext& ctx,
           const db::AlertRow& a, const std::string& state, bool update) {
  const codec::AlertMessage m{.alert_id = a.id,
                              .model = model.config.name,
                              .condition = a.condition,
                              .state = state,
                              .update = update,
                              .action = a.action,
                              .reason = a.reason,
                              .reason_code = a.reason_code,
                              .starts_at_us = a.opened_at_us,
                              .ends_at_us = a.resolved_at_us,
                              .data_at_us = a.data_at_us,
                              .ui_url = UiUrl(ctx, model.config.name)};
  const auto& targets = TargetsFor(model.config, ctx);
  const std::string step = state == "resolved" ? "r" : std::to_string(a.updates);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!Subscribed(targets[i], a.condition)) continue;
    const codec::RenderedNotification r = codec::RenderNotification(targets[i], m);
    const bool pagerduty = targets[i].kind == domain::NotifyKind::kPagerDuty;
    const bool signed_webhook = targets[i].kind == domain::NotifyKind::kWebhook;
    const std::string secret = pagerduty        ? targets[i].routing_key
                               : signed_webhook ? model.config.webhook.secret
                                                : std::string();
    db::InsertNotification(
        tx, model.id,
        {.id = "ntf_" + a.id + "_" + step + "_" + std::to_string(i),
         .notify_key = a.id + "/" + std::to_string(i),
         .url = r.url,
         .secret = secret,
         // "" rather than NULL for an unsigned row: NULL marks a legacy plaintext row (V015)
         .secrets_key_id = webhook::SecretBox::KeyIdOf(secret).value_or(""),
         .body = r.body,
         .format = r.format});
  }
  spdlog::info("alert {}: model={} condition={} id={} action={}", update ? "updated" : state,
               model.config.name, a.condition, a.id, a.action);
}

// Opens, updates or resolves the alert of one condition; `holds` with `content` is its new state.
void Apply(pqxx::transaction_base& tx, const domain::Model& model, const NotifyContext& ctx,
           const std::string& condition, std::optional<db::AlertRow> open, bool holds,
           const db::AlertContent& content) {
  if (holds && !open) {
    if (auto opened = db::OpenAlert(tx, model.id, condition, content))
      Queue(tx, model, ctx, *opened, "firing", false);
  } else if (holds && (open->action != content.action || open->reason_code != content.reason_code)) {
    Queue(tx, model, ctx, db::UpdateAlert(tx, model.id, open->id, content), "firing", true);
  } else if (!holds && open) {
    if (auto resolved = db::ResolveAlert(tx, model.id, open->id))
      Queue(tx, model, ctx, *resolved, "resolved", false);
  }
}

}  // namespace

Result<NotifyContext> LoadNotifyContext(const char* notify_json, const char* public_url,
                                        const webhook::SecretBox& box, const webhook::AllowList& allow) {
  NotifyContext ctx;
  if (public_url && *public_url) {
    if (!codec::IsValidWebhookUrl(public_url)) {
      return Error::Invalid("DRIFTGATE_PUBLIC_URL",
                            "DRIFTGATE_PUBLIC_URL must be an http:// or https:// URL");
    }
    ctx.public_url = public_url;
  }
  if (!notify_json || !*notify_json) return ctx;
  const nlohmann::json doc = nlohmann::json::parse(notify_json, nullptr, false);
  auto targets = codec::ParseNotifyTargets(doc, "DRIFTGATE_NOTIFY");
  if (!targets.ok()) return targets.error();
  if (auto sealed = PrepareNotifySecrets(*targets, nullptr, box, "DRIFTGATE_NOTIFY"); !sealed.ok()) {
    return sealed.error();
  }
  for (std::size_t i = 0; i < targets->size(); ++i) {
    if (!allow.AllowsUrl((*targets)[i].url)) {
      return Error::Invalid("DRIFTGATE_NOTIFY",
                            "DRIFTGATE_NOTIFY[" + std::to_string(i) +
                                "].url: the host is not allowed by DRIFTGATE_WEBHOOK_ALLOW");
    }
  }
  ctx.server_default = std::move(targets).value();
  return ctx;
}

const std::vector<NotifyTarget>& TargetsFor(const domain::ModelConfig& config, const NotifyContext& ctx) {
  return config.notify_set ? config.notify : ctx.server_default;
}

void UpdateAlerts(pqxx::transaction_base& tx, const domain::Model& model, const evaluate::Outcome& out,
                  const NotifyContext& ctx) {
  const auto& targets = TargetsFor(model.config, ctx);
  if (targets.empty()) return;
  const std::vector<db::AlertRow> open = db::LoadOpenAlerts(tx, model.id);
  const db::AlertContent content{.action = std::string(evaluate::ActionName(out.action)),
                                 .reason = out.reason,
                                 .reason_code = out.reason_code,
                                 .data_at_us = out.at_us};
  for (const char* condition : kConditions) {
    auto it = std::find_if(open.begin(), open.end(), [&](const auto& a) { return a.condition == condition; });
    std::optional<db::AlertRow> current = it == open.end() ? std::nullopt : std::optional(*it);
    // A target list that no longer subscribes still resolves what it opened.
    if (!current && !AnySubscribed(targets, condition)) continue;
    Apply(tx, model, ctx, condition, std::move(current), Holds(condition, out), content);
  }
}

void NoteRetrainDelivery(pqxx::transaction_base& tx, const std::string& outbox_id, bool delivered,
                         const std::string& error, const NotifyContext& ctx) {
  const auto origin = db::FindOutboxOrigin(tx, outbox_id);
  if (!origin || !origin->retrain_webhook) return;
  const auto stored = db::FindModelById(tx, origin->model_id);
  if (!stored) return;  // deleted: its pending webhooks still go out, but nobody is alerted
  auto model = FromStored(*stored);
  if (!model.ok() || !AnySubscribed(TargetsFor(model->config, ctx), "delivery_failed")) return;
  auto open = db::FindOpenAlert(tx, model->id, "delivery_failed");
  const std::int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  const db::AlertContent content{.action = "delivery_failed",
                                 .reason = "retrain webhook delivery failed: " + error,
                                 .reason_code = "delivery_failed",
                                 .data_at_us = open ? open->data_at_us : now_us};
  // Only the start and the end are news: repeated failures do not update the alert.
  if (!delivered && open) return;
  Apply(tx, *model, ctx, "delivery_failed", std::move(open), !delivered, content);
}

}  // namespace driftgate::service
