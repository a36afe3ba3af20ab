// Alert routing (README "Alert routing"): turns evaluations into alerts with a lifetime and queues their
// notifications in the outbox, in the caller's transaction.
//
// One open alert per (model, segment, condition); the segment is the whole model today. Conditions:
//   kpi_breach       some KPI's breach is confirmed (the decision is retrain or suppressed); events
//                    `retrain`, `suppressed`. Ends at the first evaluation where no KPI breach is confirmed.
//   data_quality     the data-quality veto holds a confirmed breach back (suppressed:data_quality); event
//                    `data_quality`. Ends at the first evaluation without the veto.
//   warn             the evaluation's action is warn (detector alarm, unconfirmed breach); event `warn`.
//                    Ends at the first evaluation whose action is not warn.
//   delivery_failed  an attempt of the model's retrain webhook failed; event `delivery_failed`. Ends when
//                    a retrain webhook of the model is delivered (2xx).
// A condition that starts opens the alert and queues one "firing" message per subscribed target; a change
// of its action or reason code while it lasts queues an "update" of the same alert (same Alertmanager
// labels, same PagerDuty dedup_key); an unchanged evaluation queues nothing; its end queues "resolved".
// Messages go through the outbox (at-least-once, backoff, restart-safe); a newer message for the same
// alert and target supersedes one still pending, so order is kept.
#pragma once

#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/evaluator.h"
#include "db/handles.h"
#include "service/webhooks/transport/allow_list.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::service {

struct NotifyContext {
  // DRIFTGATE_NOTIFY, routing keys sealed: used by models without their own `notify`.
  std::vector<domain::NotifyTarget> server_default{};
  // DRIFTGATE_PUBLIC_URL: where people reach driftgate (Alertmanager generatorURL, links to /ui).
  std::string public_url = "http://localhost:8080";
};

// The context from the environment: DRIFTGATE_NOTIFY (a JSON array like a model's `notify`; PagerDuty
// routing keys are sealed here, kept in memory sealed) and DRIFTGATE_PUBLIC_URL. Null pointers: unset.
// The error names the variable; its URLs must pass DRIFTGATE_WEBHOOK_ALLOW like a model's.
Result<NotifyContext> LoadNotifyContext(const char* notify_json, const char* public_url,
                                        const webhook::SecretBox& box, const webhook::AllowList& allow);

// The targets that apply to a model: its own `notify`, else the server default.
const std::vector<domain::NotifyTarget>& TargetsFor(const domain::ModelConfig& config,
                                                    const NotifyContext& ctx);

// Under the model's evaluation lock, after the evaluation `out` was recorded.
void UpdateAlerts(pqxx::transaction_base& tx, const domain::Model& model, const evaluate::Outcome& out,
                  const NotifyContext& ctx);

// After an attempt of a retrain webhook of the model (outbox row `outbox_id`): a failure opens (or keeps)
// the delivery_failed alert, a delivery resolves it. Alert notifications themselves never count.
void NoteRetrainDelivery(pqxx::transaction_base& tx, const std::string& outbox_id, bool delivered,
                         const std::string& error, const NotifyContext& ctx);

}  // namespace driftgate::service
