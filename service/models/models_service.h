// Models CRUD (API.md "Models"). Names are unique; a replaced config keeps the model's history and
// reconciles its evaluation state on the next evaluation.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"
#include "db/handles.h"
#include "service/webhooks/transport/allow_list.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::db {
struct StoredModel;
}  // namespace driftgate::db

namespace driftgate::service {

struct ModelsOptions {
  // DRIFTGATE_WEBHOOK_ALLOW: create/replace refuse a webhook.url whose host it does not allow (400).
  const webhook::AllowList* webhook_allow = nullptr;
};

// A replacing config (the API parses the document: codec/model_config.h) and whether its `webhook` left
// out `headers`, which keeps the stored ones.
struct ModelReplacement {
  domain::ModelConfig config{};
  bool keep_headers = false;
};

// A JSON Merge Patch (RFC 7386) in the API's hands: `apply` turns the current config (secrets sealed as
// stored) into the patched one, validated (codec/model_document.h ApplyModelPatch); `members` are the
// top-level members it sets, for the audit log.
struct ModelPatch {
  std::function<Result<domain::ModelConfig>(const domain::ModelConfig& current)> apply{};
  std::vector<std::string> members{};
};

// Create, Replace and Delete record `actor` (a token id or "admin-env") in the audit log, in the same
// transaction as the change.
class ModelsService {
 public:
  // `secrets` seals the webhook secret and secret header values before they are stored.
  ModelsService(db::Pool& pool, const webhook::SecretBox& secrets, ModelsOptions options = {})
      : pool_(pool), secrets_(secrets), options_(options) {}

  // Create and Replace return the model with its secrets in plaintext (Create's answer shows the
  // secret once); Get and List return it as stored, secrets sealed (domain::WebhookSpec::secrets_sealed).

  Result<domain::Model> Create(domain::ModelConfig config, const std::string& actor);
  Result<domain::Model> Get(const std::string& name);
  Result<std::vector<domain::Model>> List();
  Result<domain::Model> Replace(const std::string& name, ModelReplacement replacement,
                                const std::string& actor);
  // The patched config is stored as Replace does (the secret and secret header values are kept unless the
  // patch sets them). Audited as model.patch.
  Result<domain::Model> Patch(const std::string& name, const ModelPatch& patch, const std::string& actor);
  Status Delete(const std::string& name, const std::string& actor);

 private:
  Status CheckWebhookAllowed(const domain::ModelConfig& config) const;
  // The shared end of Replace and Patch inside their transaction: `config` replaces `existing`'s;
  // `patched` the members a patch set (nullptr for a replace), for the audit log.
  Result<domain::Model> Store(pqxx::transaction_base& tx, const db::StoredModel& existing,
                              domain::ModelConfig config, bool keep_headers, const std::string& action,
                              const std::vector<std::string>* patched, const std::string& actor);

  db::Pool& pool_;
  const webhook::SecretBox& secrets_;
  ModelsOptions options_;
};

// Loads a model by name inside `tx`; NotFound names it.
Result<domain::Model> LoadModel(pqxx::transaction_base& tx, const std::string& name);
// A stored row back into the domain (the stored config was validated when written); its webhook
// secrets stay sealed.
Result<domain::Model> FromStored(const db::StoredModel& stored);

}  // namespace driftgate::service
