#include "service/access/audit.h"

#include <pqxx/pqxx>

#include "codec/audit_detail.h"
#include "db/access_repo.h"
#include "db/pool.h"

namespace driftgate::service {

void RecordAudit(pqxx::transaction_base& tx, const std::string& actor, std::string_view action,
                 const std::string& target, const domain::AuditDetail& detail) {
  db::InsertAudit(tx, actor, std::string(action), target, codec::EncodeAuditDetail(detail));
}

Result<domain::Page<domain::AuditRow>> AuditService::List(const domain::PageQuery& q) {
  return db::Transact<domain::Page<domain::AuditRow>>(
      pool_, [&](pqxx::work& tx) -> Result<domain::Page<domain::AuditRow>> { return db::ListAudit(tx, q); });
}

}  // namespace driftgate::service
