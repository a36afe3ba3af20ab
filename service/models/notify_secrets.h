// What the service does with a parsed `notify` array before it is stored or used (the parsing and the
// stored form are codec/notify_config.h): PagerDuty routing keys sealed like the webhook secret, and the
// DRIFTGATE_WEBHOOK_ALLOW policy applied to every target URL.
#pragma once

#include <string>
#include <vector>

#include "core/domain/notify.h"
#include "core/error.h"
#include "service/webhooks/transport/allow_list.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::service {

// Before a model is stored: a PagerDuty target without a routing key keeps the previous config's key at
// the same position (same kind and URL), which a replace cannot restate; one still without a key is
// refused (400 naming notify[i].routing_key); then every plaintext key is sealed under the box's key.
Status PrepareNotifySecrets(std::vector<domain::NotifyTarget>& targets,
                            const std::vector<domain::NotifyTarget>* previous, const webhook::SecretBox& box,
                            const std::string& field = "notify");

// DRIFTGATE_WEBHOOK_ALLOW applies to notify URLs as to webhook.url (create/replace and each delivery).
Status CheckNotifyAllowed(const std::vector<domain::NotifyTarget>& targets, const webhook::AllowList* allow);

}  // namespace driftgate::service
