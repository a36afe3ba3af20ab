#include "codec/notify_payload.h"

#include "core/domain/time.h"

namespace driftgate::codec {
namespace {

using domain::NotifyKind;
using nlohmann::json;

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string AlertName(const std::string& condition) {
  if (condition == "kpi_breach") return "DriftgateKpiBreach";
  if (condition == "data_quality") return "DriftgateDataQuality";
  if (condition == "delivery_failed") return "DriftgateDeliveryFailed";
  return "DriftgateWarning";
}

std::string ConditionTitle(const std::string& condition) {
  if (condition == "kpi_breach") return "confirmed KPI breach";
  if (condition == "data_quality") return "input data quality";
  if (condition == "delivery_failed") return "retrain webhook delivery failing";
  return "warning";
}

// PagerDuty's four severities; Alertmanager takes the same words as a label.
std::string Severity(const domain::NotifyTarget& t, const std::string& condition) {
  if (!t.severity.empty()) return t.severity;
  if (condition == "kpi_breach") return "critical";
  if (condition == "delivery_failed") return "error";
  return "warning";
}

std::string Summary(const AlertMessage& m) {
  std::string s =
      "driftgate " + m.model + ": " + ConditionTitle(m.condition) + " (" + m.action + ") - " + m.reason;
  if (s.size() > 1000) s.resize(1000);  // PagerDuty caps payload.summary at 1024 characters
  return s;
}

// Slack mrkdwn: &, < and > are control characters and must be escaped (api.slack.com, "Formatting text").
std::string SlackEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string StateWord(const AlertMessage& m) {
  if (m.state == "resolved") return "RESOLVED";
  return m.update ? "UPDATED" : "FIRING";
}

json Alertmanager(const domain::NotifyTarget& t, const AlertMessage& m) {
  json alert{{"labels",
              {{"alertname", AlertName(m.condition)},
               {"service", "driftgate"},
               {"model", m.model},
               {"condition", m.condition},
               {"severity", Severity(t, m.condition)}}},
             {"annotations",
              {{"summary", Summary(m)},
               {"description", m.reason},
               {"action", m.action},
               {"reason_code", m.reason_code},
               {"alert_id", m.alert_id},
               {"data_time", domain::FormatRfc3339(m.data_at_us)}}},
             {"startsAt", domain::FormatRfc3339(m.starts_at_us)},
             {"generatorURL", m.ui_url}};
  if (m.state == "resolved") alert["endsAt"] = domain::FormatRfc3339(m.ends_at_us);
  return json::array({std::move(alert)});
}

json Slack(const AlertMessage& m) {
  const std::string head = "[" + StateWord(m) + "] " + m.model + ": " + ConditionTitle(m.condition);
  std::string fields = "*Model* `" + SlackEscape(m.model) + "`\n*Action* " + SlackEscape(m.action) +
                       "\n*Why* " + SlackEscape(m.reason);
  if (m.state == "resolved") fields += "\n*Resolved* the condition no longer holds";
  json blocks = json::array();
  blocks.push_back({{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", head.substr(0, 150)}}}});
  blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", fields.substr(0, 3000)}}}});
  const std::string context = "alert `" + m.alert_id + "` | data time " +
                              domain::FormatRfc3339(m.data_at_us) + " | <" + m.ui_url +
                              "|driftgate ops page>";
  blocks.push_back(
      {{"type", "context"}, {"elements", json::array({{{"type", "mrkdwn"}, {"text", context}}})}});
  return json{{"text", head + " - " + m.reason}, {"blocks", std::move(blocks)}};
}

json PagerDuty(const domain::NotifyTarget& t, const AlertMessage& m) {
  if (m.state == "resolved") return json{{"event_action", "resolve"}, {"dedup_key", AlertDedupKey(m)}};
  return json{{"event_action", "trigger"},
              {"dedup_key", AlertDedupKey(m)},
              {"payload",
               {{"summary", Summary(m)},
                {"source", "driftgate"},
                {"severity", Severity(t, m.condition)},
                {"timestamp", domain::FormatRfc3339(m.starts_at_us)},
                {"component", m.model},
                {"group", m.model},
                {"class", m.condition},
                {"custom_details",
                 {{"action", m.action},
                  {"reason", m.reason},
                  {"reason_code", m.reason_code},
                  {"data_time", domain::FormatRfc3339(m.data_at_us)}}}}},
              {"client", "driftgate"},
              {"client_url", m.ui_url},
              {"links", json::array({{{"href", m.ui_url}, {"text", "driftgate ops page"}}})}};
}

json Generic(const AlertMessage& m) {
  json alert{{"id", m.alert_id},
             {"model", m.model},
             {"segment", nullptr},
             {"condition", m.condition},
             {"status", m.state},
             {"action", m.action},
             {"reason", m.reason},
             {"reason_code", m.reason_code},
             {"started_at", domain::FormatRfc3339(m.starts_at_us)},
             {"ended_at", m.state == "resolved" ? json(domain::FormatRfc3339(m.ends_at_us)) : json(nullptr)},
             {"data_time", domain::FormatRfc3339(m.data_at_us)},
             {"ui_url", m.ui_url}};
  const std::string type = m.state == "resolved" ? "alert.resolved"
                           : m.update            ? "alert.updated"
                                                 : "alert.firing";
  return json{{"type", type}, {"alert", std::move(alert)}};
}

}  // namespace

std::string WithRoutingKey(const std::string& body, const std::string& routing_key) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) return body;
  doc["routing_key"] = routing_key;
  return doc.dump();
}

std::string AlertDedupKey(const AlertMessage& m) { return "driftgate/" + m.model + "/" + m.alert_id; }

RenderedNotification RenderNotification(const domain::NotifyTarget& target, const AlertMessage& m) {
  switch (target.kind) {
    case NotifyKind::kAlertmanager:
      return {TrimSlash(target.url) + "/api/v2/alerts", Alertmanager(target, m).dump(), "alertmanager"};
    case NotifyKind::kSlack:
      return {target.url, Slack(m).dump(), "slack"};
    case NotifyKind::kPagerDuty:
      return {TrimSlash(target.url) + "/v2/enqueue", PagerDuty(target, m).dump(), "pagerduty"};
    case NotifyKind::kWebhook:
      return {target.url, Generic(m).dump(), "standard"};
  }
  return {target.url, Generic(m).dump(), "standard"};
}

}  // namespace driftgate::codec
