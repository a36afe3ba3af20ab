// A model's deletion: its row and every row stored for it, each table cleared by the repository that owns
// it, in the caller's transaction (docs/architecture.md, "Rules": each table is written from one
// repository).
//
// The outbox is left alone: a webhook or notification queued before the deletion carries its URL,
// body and sealed secret in its own row, so it is still delivered (openapi.yaml, deleteModel). Tokens
// restricted to the model keep its id, so they stay refused even once a new model takes the name.
#pragma once

#include <pqxx/pqxx>
#include <string>

namespace driftgate::db {

// Deletes the model named `name` and everything stored for it but its queued outbox rows; false when
// there is no such model.
bool RemoveModel(pqxx::transaction_base& tx, const std::string& name);

}  // namespace driftgate::db
