// The "notify" member of a model document (README "Alert routing") and the server-wide default
// (DRIFTGATE_NOTIFY, the same array). Validation names the field (`notify[1].events[0]`).
//
// A PagerDuty routing key is a secret like the webhook secret: sealed before the model is stored
// (service/models/notify_secrets.h, under purpose kRoutingKeyPurpose), kept in the stored config only in
// its sealed form (`routing_key_sealed`), never returned (`routing_key_set: true` instead), opened only by
// the dispatcher right before a delivery.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"

namespace driftgate::codec {

// The purpose of the delivery secret: a routing key travels in the outbox's `secret` column like a
// signing secret, and `driftgate reseal` re-seals that column under this one purpose.
inline constexpr std::string_view kRoutingKeyPurpose = "webhook.secret";
inline constexpr const char* kDefaultPagerDutyUrl = "https://events.pagerduty.com";

// Reads doc["notify"] into c.notify (and sets c.notify_set) when present; the error names the field.
std::optional<Error> ParseNotifyConfig(const nlohmann::json& doc, domain::ModelConfig& c);
// One notify array; `field` prefixes error fields ("notify" or "DRIFTGATE_NOTIFY").
Result<std::vector<domain::NotifyTarget>> ParseNotifyTargets(const nlohmann::json& v,
                                                             const std::string& field);

// The stored form: the sealed routing key as `routing_key_sealed`. RedactNotify turns it into
// `routing_key_set: true` for answers.
nlohmann::json NotifyToJson(const std::vector<domain::NotifyTarget>& targets);
void RedactNotify(nlohmann::json& model_doc);

std::string_view NotifyKindName(domain::NotifyKind kind);

}  // namespace driftgate::codec
