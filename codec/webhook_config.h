// The `webhook` object of a model document (API.md "Retraining webhook", README "Pipeline adapters"):
// url, secret, the receiver `format` with its own fields, and extra `headers`.
//
//   {"url": "https://api.github.com/repos/acme/ml/dispatches", "format": "github",
//    "event_type": "retrain-fraud", "headers": {"Authorization": {"secret": "Bearer ghp_..."},
//                                                "X-Env": {"value": "prod"}}}
//
// Secret header values are handled like `webhook.secret`: stored apart from the config, never returned
// (the stored/returned form says `{"secret_set": true}`), never logged, kept by a PUT that omits them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/domain/model.h"
#include "core/error.h"

namespace driftgate::codec {

// Validates `w` (the value of `webhook`); errors name the field (`webhook.dag_id`,
// `webhook.headers.X-Env.value`). A header given as `{"secret_set": true}` parses into a secret header
// with an empty value: ResolveHeaderSecrets() fills it from storage or refuses it.
Result<domain::WebhookSpec> ParseWebhookSpec(const nlohmann::json& w);

// The stored/returned form: no secret and no secret header value.
nlohmann::json WebhookSpecToJson(const domain::WebhookSpec& spec);

// The secret header values, `{"Authorization": "dgs1...."}` (sealed, as `spec` holds them), for their
// own column.
std::string HeaderSecretsJson(const domain::WebhookSpec& spec);
// Puts stored secret header values back into a spec parsed from the stored config (the inverse).
void FillHeaderSecrets(domain::WebhookSpec& spec, std::string_view header_secrets_json);

// Fills secret headers given without a value from `previous` (a PUT keeps stored secrets); a secret
// header with no value to keep is an error naming `webhook.headers.<name>.secret`.
Status ResolveHeaderSecrets(domain::WebhookSpec& spec, const domain::WebhookSpec* previous);

std::string_view WebhookFormatName(domain::WebhookFormat format);

// `url` cut to scheme, host and port (`https://hooks.example.com:8443`): what a caller without the admin
// scope sees. Webhook URLs never carry credentials before the host (IsValidWebhookUrl), so the part up
// to the first '/', '?' or '#' after "://" is exactly that.
std::string RedactWebhookUrl(std::string_view url);

// What a caller without the admin scope sees of a returned model document: `webhook.url` and every
// `notify[].url` cut by RedactWebhookUrl and flagged `url_redacted: true` (a Slack incoming-webhook URL,
// a notify target, carries its credential in the path just as a webhook URL may).
void RedactModelUrls(nlohmann::json& model_doc);

}  // namespace driftgate::codec
