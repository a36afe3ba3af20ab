#include "service/models/models_service.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <pqxx/pqxx>
#include <stdexcept>

#include "codec/model_config.h"
#include "codec/model_document.h"
#include "codec/notify_config.h"
#include "codec/webhook_config.h"
#include "core/domain/time.h"
#include "db/model_removal.h"
#include "db/models_repo.h"
#include "db/pool.h"
#include "service/access/audit.h"
#include "service/models/config_cache.h"
#include "service/models/notify_secrets.h"
#include "service/webhooks/transport/signature.h"
#include "service/webhooks/webhook_secrets.h"

namespace driftgate::service {

namespace {

// The stored document as a typed config: validated when it was written, parsed here once per process
// (ModelConfigCache) rather than on every read.
Result<std::shared_ptr<const domain::ModelConfig>> StoredConfig(const db::StoredModel& stored) {
  auto& cache = ModelConfigCache::Shared();
  if (auto cached = cache.Find(stored.id, stored.config_json)) return cached;
  auto config = codec::ParseStoredModelConfig(stored.config_json);
  if (!config.ok()) {
    return Error{ErrorCode::kInternal,
                 "stored config of model " + stored.name + " is invalid: " + config.error().message,
                 {}};
  }
  auto parsed = std::make_shared<const domain::ModelConfig>(std::move(config).value());
  cache.Keep(stored.id, stored.config_json, parsed);
  return parsed;
}

}  // namespace

Result<domain::Model> FromStored(const db::StoredModel& stored) {
  auto parsed = StoredConfig(stored);
  if (!parsed.ok()) return parsed.error();
  domain::ModelConfig config = **parsed;
  // The sealed values go in after validation, which is for plaintext (and longer than its limits).
  config.webhook.secret = stored.webhook_secret;
  codec::FillHeaderSecrets(config.webhook, stored.header_secrets_json);
  config.webhook.secrets_sealed = true;
  return domain::Model{.id = stored.id,
                       .config = std::move(config),
                       .generation = stored.generation,
                       .created_at_us = stored.created_at_us,
                       .updated_at_us = stored.updated_at_us};
}

Result<domain::Model> LoadModel(pqxx::transaction_base& tx, const std::string& name) {
  auto stored = db::FindModel(tx, name);
  if (!stored) return Error{ErrorCode::kNotFound, "model '" + name + "' does not exist", "model"};
  return FromStored(*stored);
}

std::string NewWebhookSecret() {
  unsigned char key[24];
  if (RAND_bytes(key, sizeof key) != 1) throw std::runtime_error("no randomness for a webhook secret");
  return "whsec_" + webhook::Base64Encode(std::string_view(reinterpret_cast<const char*>(key), sizeof key));
}

Status ModelsService::CheckWebhookAllowed(const domain::ModelConfig& config) const {
  if (auto notify = CheckNotifyAllowed(config.notify, options_.webhook_allow); !notify.ok()) return notify;
  if (options_.webhook_allow == nullptr || options_.webhook_allow->AllowsUrl(config.webhook.url)) return Ok{};
  const auto host = webhook::ParseUrlHost(config.webhook.url);
  if (!host) {
    return Error::Invalid("webhook.url",
                          "webhook.url: the host is neither a valid name nor an IP address (a host "
                          "ending in a number must be an IPv4 address)");
  }
  const std::string& name = host->host;
  if (options_.webhook_allow->empty()) {
    return Error::Invalid("webhook.url",
                          "webhook.url: host '" + name +
                              "' is not a public address; only an entry in DRIFTGATE_WEBHOOK_ALLOW "
                              "opens loopback, private, link-local and other internal addresses");
  }
  return Error::Invalid("webhook.url",
                        "webhook.url: host '" + name + "' is not allowed by DRIFTGATE_WEBHOOK_ALLOW");
}

Result<domain::Model> ModelsService::Create(domain::ModelConfig config, const std::string& actor) {
  if (auto allowed = CheckWebhookAllowed(config); !allowed.ok()) return allowed.error();
  // Every webhook is signed: without a given secret, one is generated and shown once, in this answer.
  if (config.webhook.secret.empty()) config.webhook.secret = NewWebhookSecret();
  if (auto resolved = codec::ResolveHeaderSecrets(config.webhook, nullptr); !resolved.ok())
    return resolved.error();
  if (auto sealed = PrepareNotifySecrets(config.notify, nullptr, secrets_); !sealed.ok())
    return sealed.error();
  const std::string stored = codec::ModelConfigToJson(config).dump();
  const domain::WebhookSpec sealed = SealWebhookSecrets(config.webhook, secrets_);
  return db::Transact<domain::Model>(pool_, [&](pqxx::work& tx) -> Result<domain::Model> {
    auto row =
        db::InsertModel(tx, config.name, std::string(kpi::TaskName(config.task)), stored, sealed.secret);
    if (!row) return Error::Conflict("name: model '" + config.name + "' already exists", "name");
    db::SetHeaderSecrets(tx, row->id, codec::HeaderSecretsJson(sealed), secrets_.key_id());
    RecordAudit(tx, actor, "model.create", config.name, {{"task", kpi::TaskName(config.task)}});
    spdlog::info("model created: {} ({})", config.name, kpi::TaskName(config.task));
    return domain::Model{.id = row->id,
                         .config = config,
                         .generation = row->generation,
                         .created_at_us = row->created_at_us,
                         .updated_at_us = row->updated_at_us};
  });
}

Result<domain::Model> ModelsService::Get(const std::string& name) {
  return db::Transact<domain::Model>(pool_, [&](pqxx::work& tx) { return LoadModel(tx, name); });
}

Result<std::vector<domain::Model>> ModelsService::List() {
  return db::Transact<std::vector<domain::Model>>(pool_,
                                                  [&](pqxx::work& tx) -> Result<std::vector<domain::Model>> {
                                                    std::vector<domain::Model> out;
                                                    for (const auto& row : db::ListModels(tx)) {
                                                      auto m = FromStored(row);
                                                      if (!m.ok()) return m.error();
                                                      out.push_back(std::move(m).value());
                                                    }
                                                    return out;
                                                  });
}

Result<domain::Model> ModelsService::Store(pqxx::transaction_base& tx, const db::StoredModel& existing,
                                           domain::ModelConfig config, bool keep_headers,
                                           const std::string& action, const std::vector<std::string>* patched,
                                           const std::string& actor) {
  const std::string& name = existing.name;
  auto old = FromStored(existing);
  if (old.ok() && old->config.task != config.task) {
    return Error::Conflict("task: a model's task cannot change (create a new model instead)", "task");
  }
  // Like the secret, secret header values are never returned: a replace keeps the stored ones (all of
  // them when it gives no `headers`, else those it names as {"secret_set": true}).
  if (old.ok()) {  // the kept secrets are opened here and sealed again below, under the current key
    auto opened = OpenWebhookSecrets(old->config.webhook, secrets_);
    if (!opened.ok()) return Error{ErrorCode::kInternal, "model " + name + ": " + opened.error().message, {}};
    old->config.webhook = std::move(opened).value();
  }
  const domain::WebhookSpec* previous = old.ok() ? &old->config.webhook : nullptr;
  if (previous && keep_headers) config.webhook.headers = previous->headers;
  if (auto resolved = codec::ResolveHeaderSecrets(config.webhook, previous); !resolved.ok())
    return resolved.error();
  // The secret is never returned, so a replace without one keeps the stored secret.
  if (config.webhook.secret.empty() && previous) config.webhook.secret = previous->secret;
  const auto* previous_notify = old.ok() ? &old->config.notify : nullptr;
  if (auto sealed = PrepareNotifySecrets(config.notify, previous_notify, secrets_); !sealed.ok())
    return sealed.error();
  const std::string stored = codec::ModelConfigToJson(config).dump();
  const domain::WebhookSpec sealed = SealWebhookSecrets(config.webhook, secrets_);
  auto row = db::UpdateModel(tx, name, std::string(kpi::TaskName(config.task)), stored, sealed.secret);
  if (!row) return Error{ErrorCode::kNotFound, "model '" + name + "' does not exist", "model"};
  db::SetHeaderSecrets(tx, row->id, codec::HeaderSecretsJson(sealed), secrets_.key_id());
  domain::AuditDetail detail{{"task", kpi::TaskName(config.task)}};
  if (patched) detail.push_back({"members", *patched});
  RecordAudit(tx, actor, action, name, detail);
  spdlog::info("model {}: {}", action, name);
  return domain::Model{.id = row->id,
                       .config = std::move(config),
                       .generation = row->generation,
                       .created_at_us = row->created_at_us,
                       .updated_at_us = row->updated_at_us};
}

Result<domain::Model> ModelsService::Replace(const std::string& name, ModelReplacement replacement,
                                             const std::string& actor) {
  if (auto allowed = CheckWebhookAllowed(replacement.config); !allowed.ok()) return allowed.error();
  return db::Transact<domain::Model>(pool_, [&](pqxx::work& tx) -> Result<domain::Model> {
    auto existing = db::FindModel(tx, name);
    if (!existing) return Error{ErrorCode::kNotFound, "model '" + name + "' does not exist", "model"};
    return Store(tx, *existing, replacement.config, replacement.keep_headers, "model.replace", nullptr,
                 actor);
  });
}

Result<domain::Model> ModelsService::Patch(const std::string& name, const ModelPatch& patch,
                                           const std::string& actor) {
  return db::Transact<domain::Model>(pool_, [&](pqxx::work& tx) -> Result<domain::Model> {
    auto existing = db::FindModel(tx, name);
    if (!existing) return Error{ErrorCode::kNotFound, "model '" + name + "' does not exist", "model"};
    auto old = FromStored(*existing);
    if (!old.ok()) return old.error();
    auto config = patch.apply(old->config);
    if (!config.ok()) return config.error();
    if (auto allowed = CheckWebhookAllowed(*config); !allowed.ok()) return allowed.error();
    return Store(tx, *existing, std::move(config).value(), false, "model.patch", &patch.members, actor);
  });
}

Status ModelsService::Delete(const std::string& name, const std::string& actor) {
  return db::Transact<Ok>(pool_, [&](pqxx::work& tx) -> Status {
    if (!db::RemoveModel(tx, name))
      return Error{ErrorCode::kNotFound, "model '" + name + "' does not exist", "model"};
    RecordAudit(tx, actor, "model.delete", name);
    spdlog::info("model deleted: {}", name);
    return Ok{};
  });
}

}  // namespace driftgate::service
