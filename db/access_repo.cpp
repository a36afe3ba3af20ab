#include "db/access_repo.h"

#include <sstream>

#include "db/exec.h"
#include "db/sql/audit_log.h"
#include "db/sql/tokens.h"

namespace driftgate::db {
namespace {

std::vector<std::string> SplitScopes(const std::string& joined) {
  std::vector<std::string> out;
  std::stringstream in(joined);
  for (std::string s; std::getline(in, s, ',');) {
    if (!s.empty()) out.push_back(s);
  }
  return out;
}

// A text[] literal; the scope vocabulary has no characters that need quoting.
std::string ArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& s : items) out += (out.size() > 1 ? "," : "") + s;
  return out + "}";
}

std::optional<std::string> OptText(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

}  // namespace

domain::TokenInfo InsertToken(pqxx::transaction_base& tx, const std::string& name,
                              const std::string& hash_hex, const std::vector<std::string>& scopes,
                              const std::optional<std::string>& model) {
  const pqxx::row r = model ? ExecText1(tx, sql::kInsertToken, name, hash_hex, ArrayLiteral(scopes), *model)
                            : ExecText1(tx, sql::kInsertToken, name, hash_hex, ArrayLiteral(scopes), nullptr);
  return domain::TokenInfo{.id = r[0].as<std::string>(),
                           .name = name,
                           .scopes = scopes,
                           .model = model,
                           .created_at_us = r[1].as<std::int64_t>()};
}

std::optional<StoredToken> FindTokenByHash(pqxx::transaction_base& tx, const std::string& hash_hex) {
  const pqxx::result r = ExecText(tx, sql::kFindTokenByHash, hash_hex);
  if (r.empty()) return std::nullopt;
  return StoredToken{.id = r[0][0].as<std::string>(),
                     .name = r[0][1].as<std::string>(),
                     .hash_hex = r[0][2].as<std::string>(),
                     .scopes = SplitScopes(r[0][3].as<std::string>()),
                     .model = OptText(r[0][4]),
                     .model_name = OptText(r[0][6]),
                     .model_bound = r[0][7].as<bool>(),
                     .revoked = r[0][5].as<bool>()};
}

std::vector<domain::TokenInfo> ListTokens(pqxx::transaction_base& tx) {
  std::vector<domain::TokenInfo> out;
  for (const auto& r : ExecText(tx, sql::kListTokens)) {
    out.push_back(domain::TokenInfo{.id = r[0].as<std::string>(),
                                    .name = r[1].as<std::string>(),
                                    .scopes = SplitScopes(r[2].as<std::string>()),
                                    .model = OptText(r[3]),
                                    .created_at_us = r[4].as<std::int64_t>()});
  }
  return out;
}

std::optional<std::string> RevokeToken(pqxx::transaction_base& tx, const std::string& id) {
  const pqxx::result r = ExecText(tx, sql::kRevokeToken, id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

void InsertAudit(pqxx::transaction_base& tx, const std::string& actor, const std::string& action,
                 const std::string& target, const std::string& detail_json) {
  ExecText(tx, sql::kInsertAudit, actor, action, target, detail_json);
}

domain::Page<domain::AuditRow> ListAudit(pqxx::transaction_base& tx, const domain::PageQuery& q) {
  auto text = [](const std::optional<std::int64_t>& v) -> std::optional<std::string> {
    if (!v) return std::nullopt;
    return std::to_string(*v);
  };
  const auto from = text(q.from_us), to = text(q.to_us), after_at = text(q.after_at_us),
             after_id = text(q.after_seq);
  auto c = [](const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; };
  const pqxx::result rows =
      ExecText(tx, sql::kListAudit, c(from), c(to), c(after_at), c(after_id), static_cast<long>(q.limit + 1));
  domain::Page<domain::AuditRow> page;
  const std::size_t n = std::min<std::size_t>(rows.size(), q.limit);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = rows[static_cast<int>(i)];
    page.items.push_back(domain::AuditRow{.id = r[0].as<std::int64_t>(),
                                          .at_us = r[1].as<std::int64_t>(),
                                          .actor = r[2].as<std::string>(),
                                          .action = r[3].as<std::string>(),
                                          .target = r[4].as<std::string>(),
                                          .detail_json = r[5].as<std::string>()});
  }
  if (rows.size() > q.limit && n > 0) {
    page.next_at_us = page.items.back().at_us;
    page.next_seq = page.items.back().id;
  }
  return page;
}

}  // namespace driftgate::db
