// The bodies of alert notifications, one per receiver format (README "Alert routing"):
//   alertmanager  POST {url}/api/v2/alerts, a JSON array of one postable alert (Alertmanager API v2,
//                 api/v2/openapi.yaml `postableAlerts`): labels, annotations, startsAt, endsAt (only when
//                 resolved), generatorURL to the /ui page. The labels identify the alert, so every
//                 state of it updates the same Alertmanager alert.
//   slack         an incoming-webhook message (api.slack.com/messaging/webhooks): `text` (the fallback
//                 for notifications) and Block Kit `blocks` (header, section, context).
//   pagerduty     PagerDuty Events API v2 (developer.pagerduty.com, "Send an Alert Event"): POST
//                 {url}/v2/enqueue, event_action trigger|resolve with a dedup_key stable for the alert;
//                 the routing key is added by the dispatcher from its sealed form, never stored in a body.
//   webhook       {"type": "alert.firing|alert.updated|alert.resolved", "alert": {...}}, signed like the
//                 retrain webhook (Standard Webhooks) with the model's webhook secret.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/domain/notify.h"

namespace driftgate::codec {

struct AlertMessage {
  std::string alert_id{};
  std::string model{};
  std::string condition{};  // kpi_breach | warn | data_quality | delivery_failed
  std::string state{};      // firing | resolved
  bool update = false;      // a changed state of an alert already notified as firing
  std::string action{};     // the decision action (or "delivery_failed")
  std::string reason{};
  std::string reason_code{};
  std::int64_t starts_at_us = 0;  // wall time the alert opened
  std::int64_t ends_at_us = 0;    // wall time it was resolved; 0 while firing
  std::int64_t data_at_us = 0;    // data time of the evaluation behind this state
  std::string ui_url{};           // the /ui page of the model
};

struct RenderedNotification {
  std::string url{};
  std::string body{};
  std::string format{};  // the outbox format: alertmanager | slack | pagerduty | standard
};

RenderedNotification RenderNotification(const domain::NotifyTarget& target, const AlertMessage& m);

// The PagerDuty dedup_key (and the Alertmanager `alert_id` annotation): one per alert, so a re-opened
// condition is a new incident.
std::string AlertDedupKey(const AlertMessage& m);

// The dispatcher's side: a PagerDuty body with the opened routing key put in, for one attempt.
std::string WithRoutingKey(const std::string& body, const std::string& routing_key);

}  // namespace driftgate::codec
