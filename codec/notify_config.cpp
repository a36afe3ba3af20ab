#include "codec/notify_config.h"

#include <algorithm>
#include <set>

#include "codec/json_read.h"
#include "codec/model_config.h"
#include "core/secrets/sealed_value.h"

namespace driftgate::codec {
namespace {

using domain::NotifyKind;
using domain::NotifyTarget;
using nlohmann::json;

constexpr std::size_t kMaxTargets = 16;
constexpr std::size_t kMaxRoutingKey = 256;

std::optional<NotifyKind> ParseKind(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const auto s = v.get<std::string>();
  if (s == "alertmanager") return NotifyKind::kAlertmanager;
  if (s == "slack") return NotifyKind::kSlack;
  if (s == "pagerduty") return NotifyKind::kPagerDuty;
  if (s == "webhook") return NotifyKind::kWebhook;
  return std::nullopt;
}

bool IsEvent(const std::string& e) {
  return std::any_of(std::begin(domain::kNotifyEvents), std::end(domain::kNotifyEvents),
                     [&](const char* known) { return e == known; });
}

Result<std::vector<std::string>> ParseEvents(const json& t, const std::string& at) {
  std::vector<std::string> events;
  if (!t.contains("events")) {  // everything but the chatty `warn`
    return std::vector<std::string>{"retrain", "suppressed", "data_quality", "delivery_failed"};
  }
  const json& ev = t["events"];
  if (!ev.is_array() || ev.empty())
    return Invalid(at + ".events", "must be a non-empty array of event names");
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const std::string f = at + ".events[" + std::to_string(i) + "]";
    if (!ev[i].is_string() || !IsEvent(ev[i].get<std::string>())) {
      return Invalid(f, "must be one of retrain, suppressed, warn, data_quality, delivery_failed");
    }
    if (std::find(events.begin(), events.end(), ev[i].get<std::string>()) == events.end()) {
      events.push_back(ev[i].get<std::string>());
    }
  }
  return events;
}

Result<NotifyTarget> ParseTarget(const json& t, const std::string& at) {
  if (!t.is_object()) return Invalid(at, "must be an object");
  static const std::set<std::string> kKnown = {
      "kind", "url", "events", "severity", "routing_key", "routing_key_set", "routing_key_sealed"};
  for (auto it = t.begin(); it != t.end(); ++it) {
    if (!kKnown.count(it.key())) return Invalid(at + "." + it.key(), "unknown field");
  }
  NotifyTarget target;
  const auto kind = t.contains("kind") ? ParseKind(t["kind"]) : std::nullopt;
  if (!kind) return Invalid(at + ".kind", "must be alertmanager, slack, pagerduty or webhook");
  target.kind = *kind;
  if (t.contains("url")) {
    if (!t["url"].is_string() || !IsValidWebhookUrl(t["url"].get<std::string>())) {
      return Invalid(at + ".url", "must be an http:// or https:// URL");
    }
    target.url = t["url"].get<std::string>();
  } else if (target.kind == NotifyKind::kPagerDuty) {
    target.url = kDefaultPagerDutyUrl;
  } else {
    return Invalid(at + ".url", "is required (a string)");
  }
  auto events = ParseEvents(t, at);
  if (!events.ok()) return events.error();
  target.events = std::move(events).value();
  if (t.contains("severity")) {
    static const std::set<std::string> kSeverities = {"critical", "error", "warning", "info"};
    if (!t["severity"].is_string() || !kSeverities.count(t["severity"].get<std::string>())) {
      return Invalid(at + ".severity", "must be critical, error, warning or info");
    }
    target.severity = t["severity"].get<std::string>();
  }
  const bool pagerduty = target.kind == NotifyKind::kPagerDuty;
  for (const char* key : {"routing_key", "routing_key_set", "routing_key_sealed"}) {
    if (t.contains(key) && !pagerduty) return Invalid(at + "." + key, "only applies to kind pagerduty");
  }
  if (t.contains("routing_key")) {
    const json& k = t["routing_key"];
    if (!k.is_string() || k.get<std::string>().empty() || k.get<std::string>().size() > kMaxRoutingKey ||
        secrets::IsSealed(k.get<std::string>())) {
      return Invalid(at + ".routing_key", "must be a non-empty string of at most 256 characters");
    }
    target.routing_key = k.get<std::string>();
  } else if (t.contains("routing_key_sealed")) {  // the stored form (a PATCH re-reads it)
    const json& k = t["routing_key_sealed"];
    if (!k.is_string() || !secrets::IsSealed(k.get<std::string>())) {
      return Invalid(at + ".routing_key_sealed", "is set by driftgate only");
    }
    target.routing_key = k.get<std::string>();
  }
  return target;
}

}  // namespace

std::string_view NotifyKindName(NotifyKind kind) {
  switch (kind) {
    case NotifyKind::kAlertmanager:
      return "alertmanager";
    case NotifyKind::kSlack:
      return "slack";
    case NotifyKind::kPagerDuty:
      return "pagerduty";
    case NotifyKind::kWebhook:
      return "webhook";
  }
  return "webhook";
}

Result<std::vector<NotifyTarget>> ParseNotifyTargets(const json& v, const std::string& field) {
  if (!v.is_array()) return Invalid(field, "must be an array of targets");
  if (v.size() > kMaxTargets) return Invalid(field, "at most 16 targets");
  std::vector<NotifyTarget> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto target = ParseTarget(v[i], field + "[" + std::to_string(i) + "]");
    if (!target.ok()) return target.error();
    out.push_back(std::move(target).value());
  }
  return out;
}

std::optional<Error> ParseNotifyConfig(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("notify")) return std::nullopt;
  auto targets = ParseNotifyTargets(doc["notify"], "notify");
  if (!targets.ok()) return targets.error();
  c.notify = std::move(targets).value();
  c.notify_set = true;
  return std::nullopt;
}

json NotifyToJson(const std::vector<NotifyTarget>& targets) {
  json out = json::array();
  for (const auto& t : targets) {
    json o{{"kind", NotifyKindName(t.kind)}, {"url", t.url}, {"events", t.events}};
    if (!t.severity.empty()) o["severity"] = t.severity;
    if (secrets::IsSealed(t.routing_key)) o["routing_key_sealed"] = t.routing_key;
    out.push_back(std::move(o));
  }
  return out;
}

void RedactNotify(json& model_doc) {
  if (!model_doc.contains("notify") || !model_doc["notify"].is_array()) return;
  for (auto& t : model_doc["notify"]) {
    if (t.contains("routing_key_sealed")) {
      t.erase("routing_key_sealed");
      t["routing_key_set"] = true;
    }
  }
}

}  // namespace driftgate::codec
