#include "service/models/notify_secrets.h"

#include "codec/notify_config.h"

namespace driftgate::service {
namespace {

using domain::NotifyKind;
using domain::NotifyTarget;

Error Invalid(const std::string& field, const std::string& msg) {
  return Error::Invalid(field, field + ": " + msg);
}

}  // namespace

Status PrepareNotifySecrets(std::vector<NotifyTarget>& targets, const std::vector<NotifyTarget>* previous,
                            const webhook::SecretBox& box, const std::string& field) {
  for (std::size_t i = 0; i < targets.size(); ++i) {
    NotifyTarget& t = targets[i];
    if (t.kind != NotifyKind::kPagerDuty) continue;
    if (t.routing_key.empty() && previous && i < previous->size()) {
      const NotifyTarget& p = (*previous)[i];
      if (p.kind == t.kind && p.url == t.url) t.routing_key = p.routing_key;
    }
    const std::string at = field + "[" + std::to_string(i) + "].routing_key";
    if (t.routing_key.empty()) return Invalid(at, "is required for kind pagerduty (the integration key)");
    if (!webhook::SecretBox::IsSealed(t.routing_key))
      t.routing_key = box.Seal(t.routing_key, codec::kRoutingKeyPurpose);
  }
  return Ok{};
}

Status CheckNotifyAllowed(const std::vector<NotifyTarget>& targets, const webhook::AllowList* allow) {
  if (allow == nullptr) return Ok{};
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (allow->AllowsUrl(targets[i].url)) continue;
    const std::string at = "notify[" + std::to_string(i) + "].url";
    return Invalid(at, allow->empty()
                           ? "the host is not a public address; only an entry in DRIFTGATE_WEBHOOK_ALLOW "
                             "opens loopback, private and other internal addresses"
                           : "the host is not allowed by DRIFTGATE_WEBHOOK_ALLOW");
  }
  return Ok{};
}

}  // namespace driftgate::service
