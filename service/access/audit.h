// The audit log of admin actions (model.create, model.replace, model.delete, reference.upload,
// token.create, token.delete): who (a token id or "admin-env"), what, on which target, with a small
// detail (core/domain/audit_detail.h, stored as JSON by codec/audit_detail.h). Written by the service that
// performs the action, in the action's own transaction, so an action and its record commit or roll back
// together. Details never carry secrets, token values or hashes, nor webhook URLs (which may embed
// credentials): only names, scopes, tasks, sizes.
#pragma once

#include <string>
#include <string_view>

#include "core/domain/access.h"
#include "core/domain/audit_detail.h"
#include "core/domain/history.h"
#include "core/error.h"
#include "db/handles.h"

namespace driftgate::service {

void RecordAudit(pqxx::transaction_base& tx, const std::string& actor, std::string_view action,
                 const std::string& target, const domain::AuditDetail& detail = {});

class AuditService {
 public:
  explicit AuditService(db::Pool& pool) : pool_(pool) {}

  // Oldest first in [from, to) of wall time, after the cursor.
  Result<domain::Page<domain::AuditRow>> List(const domain::PageQuery& q);

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service
