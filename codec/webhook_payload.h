// Renders a retrain request for its receiver's format, at decision time: the outbox row stores the
// result (URL, body, extra headers), so a delivery needs nothing from the model's current config.
//
// Shapes (README "Pipeline adapters"):
// - standard: API.md's body `{"type": "retrain.requested", "model", "retrain_id", "decision_id", "reason",
//   "kpis", "requested_at"}` to `url` as is.
// - airflow: Airflow 2's stable REST API "Trigger a new DAG run",
//   `POST {url}/api/v1/dags/{dag_id}/dagRuns` with `{"dag_run_id": "driftgate__<retrain_id>",
//   "conf": {<the decision>}, "note": "..."}`. The run id is stable across retries, so a retry after a
//   lost answer gets 409 from Airflow, which the dispatcher counts as delivered.
// - github: `repository_dispatch`, `POST /repos/{owner}/{repo}/dispatches` (`url` is that URL) with
//   `{"event_type", "client_payload": {<the decision>}}`: six top-level properties, GitHub allows ten;
//   `Accept: application/vnd.github+json` and `X-GitHub-Api-Version: 2022-11-28`.
// - argo: an Argo Events `webhook` event source gets any JSON body; a sensor reads it under `body.`:
//   `{"source": "driftgate", "type": "retrain.requested", <the decision>, "kpis_breached": [...]}` — flat,
//   so that `dataKey: body.retrain_id` works for workflow parameters.
// - template: the configured JSON template with {{model}}, {{retrain_id}}, {{decision_id}}, {{reason}},
//   {{requested_at}}, {{kpis}} substituted inside string values. The template is a JSON tree and the
//   values are put into its strings, so quotes and newlines in a reason are escaped by the serializer;
//   a string that is exactly "{{kpis}}" becomes the KPI object itself.
// Extra headers come last and replace a format's default header of the same name.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"

namespace driftgate::codec {

// Request headers as (name, value) pairs in sending order: the same type as webhook::HeaderList
// (service/webhooks/transport/http_transport.h), which the codec does not include.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct RetrainRequest {
  std::string model{};
  std::string retrain_id{};
  std::string decision_id{};
  std::string reason{};
  nlohmann::json kpis = nlohmann::json::object();
  std::string requested_at{};  // RFC 3339
  // More members of the decision (e.g. "deferral"), added to the standard body, airflow's conf, github's
  // client_payload and the argo body; templates see only the placeholders.
  nlohmann::json extra = nlohmann::json::object();
};

struct RenderedDelivery {
  std::string url{};
  std::string body{};
  HeaderList headers{};  // format defaults and extra headers; never logged
  // Names of `headers` whose value is sealed: the secret headers of a sealed spec (a stored model).
  std::vector<std::string> sealed_headers{};
};

RenderedDelivery RenderDelivery(const domain::WebhookSpec& spec, const RetrainRequest& request);

// The outbox `headers` column: a JSON array of [name, value] pairs; a value named in `sealed_names` is
// written as [name, {"sealed": "dgs1...."}], so the row holds no plaintext secret.
std::string HeadersToJson(const HeaderList& headers, const std::vector<std::string>& sealed_names = {});
// One pair of the outbox `headers` column as stored: a sealed value is returned sealed (`sealed` set);
// service/webhooks/outbox_headers.h opens it right before a delivery.
struct StoredHeader {
  std::string name{};
  std::string value{};
  bool sealed = false;
};
// The pairs of HeadersToJson's text back, in order; entries of another shape are skipped.
std::vector<StoredHeader> ParseStoredHeaders(std::string_view text);

// The placeholder names a template may use.
bool IsTemplatePlaceholder(std::string_view name);
// The first placeholder in `text` that is not one of the above; nullopt when all are known.
std::optional<std::string> UnknownPlaceholder(std::string_view text);

}  // namespace driftgate::codec
