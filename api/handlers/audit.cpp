// GET /v1/audit: the audit log of changes (admin), paged like the history.
#include "api/dto/access.h"
#include "api/handlers/resources.h"

namespace driftgate::api {

void AddAuditRoutes(const RouteContext& c) {
  if (!c.s.audit) return;
  auto& audit = *c.s.audit;
  c.router.Add(
      "GET", "/v1/audit", service::Scope::kAdmin, c.paging, [&audit, cursors = c.cursors](Request& req) {
        auto q = dto::ParsePageQuery(req, *cursors, "audit");
        if (!q.ok()) return Problem(q.error());
        return Reply(audit.List(q->query),
                     [&](const auto& page) { return dto::AuditPageJson(page, *cursors, q->listing); });
      });
}

}  // namespace driftgate::api
