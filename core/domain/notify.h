// Where a model's alerts go (README "Alert routing"): Alertmanager, Slack, PagerDuty or a plain signed
// webhook, each subscribed to some of the events retrain, suppressed, warn, data_quality,
// delivery_failed. Pure data; codec/notify_config.cpp parses and prints it.
#pragma once

#include <string>
#include <vector>

namespace driftgate::domain {

enum class NotifyKind { kAlertmanager, kSlack, kPagerDuty, kWebhook };

struct NotifyTarget {
  NotifyKind kind = NotifyKind::kWebhook;
  // Alertmanager: its base URL (alerts go to {url}/api/v2/alerts); Slack: the incoming-webhook URL;
  // PagerDuty: the Events API base URL (default https://events.pagerduty.com, events go to {url}/v2/enqueue);
  // webhook: the URL itself.
  std::string url{};
  std::vector<std::string> events{};  // subset of kNotifyEvents, never empty
  // PagerDuty's integration (routing) key: plaintext in a request, sealed once stored
  // (service/models/notify_secrets.h); empty for other kinds.
  std::string routing_key{};
  std::string severity{};  // PagerDuty/Alertmanager severity label; empty: by condition
};

inline constexpr const char* kNotifyEvents[] = {"retrain", "suppressed", "warn", "data_quality",
                                                "delivery_failed"};

}  // namespace driftgate::domain
