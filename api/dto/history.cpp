#include "api/dto/history.h"

#include <charconv>

#include "core/domain/time.h"

namespace driftgate::api::dto {
namespace {

using nlohmann::json;

json ParseStored(const std::string& text) { return json::parse(text, nullptr, false); }

std::optional<std::int64_t> ParseInt(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string EncodeCursor(std::int64_t at_us, std::int64_t seq) {
  return "c" + std::to_string(at_us) + "_" + std::to_string(seq);
}

Result<domain::PageQuery> ParsePageQuery(const Request& req) {
  domain::PageQuery q;
  for (const char* key : {"from", "to"}) {
    if (auto v = req.Query(key)) {
      auto ts = domain::ParseRfc3339(*v);
      if (!ts) return Error::Invalid(key, std::string(key) + ": must be an RFC 3339 time, e.g. 2026-11-23T06:00:00Z");
      (std::string(key) == "from" ? q.from_us : q.to_us) = *ts;
    }
  }
  if (auto v = req.Query("limit")) {
    auto n = ParseInt(*v);
    if (!n || *n < 1 || *n > 1000) return Error::Invalid("limit", "limit: must be an integer from 1 to 1000");
    q.limit = static_cast<std::size_t>(*n);
  }
  if (auto v = req.Query("cursor"); v && !v->empty()) {
    const auto sep = v->find('_');
    if ((*v)[0] != 'c' || sep == std::string::npos) return Error::Invalid("cursor", "cursor: not a cursor this server issued");
    auto at = ParseInt(std::string_view(*v).substr(1, sep - 1));
    auto seq = ParseInt(std::string_view(*v).substr(sep + 1));
    // Issued cursors hold a stored time, inside RFC 3339's years 0000-9999; beyond PostgreSQL's timestamp
    // range the query would fail (a 500).
    constexpr std::int64_t kMinAtUs = -62167219200000000;  // 0000-01-01T00:00:00Z
    constexpr std::int64_t kMaxAtUs = 253402300799999999;  // 9999-12-31T23:59:59.999999Z
    if (!at || !seq || *at < kMinAtUs || *at > kMaxAtUs) {
      return Error::Invalid("cursor", "cursor: not a cursor this server issued");
    }
    q.after_at_us = *at;
    q.after_seq = *seq;
  }
  return q;
}

json ToJson(const domain::DecisionRow& d) {
  json out{{"id", d.id},
           {"at", domain::FormatRfc3339(d.at_us)},
           {"recorded_at", domain::FormatRfc3339(d.created_at_us)},
           {"action", d.action},
           {"reason", d.reason},
           {"kpis", ParseStored(d.kpis_json)},
           {"detectors", ParseStored(d.detectors_json)}};
  out["retrain_id"] = d.retrain_id ? json(*d.retrain_id) : json(nullptr);
  if (d.deferral_json) out["deferral"] = ParseStored(*d.deferral_json);
  return out;
}

json ToJson(const domain::MetricRow& m) {
  return json{{"at", domain::FormatRfc3339(m.at_us)},
              {"n", m.n},
              {"generation", m.generation},
              {"kpis", ParseStored(m.kpis_json)}};
}

json ToJson(const domain::DriftRow& d) {
  json out{{"at", domain::FormatRfc3339(d.at_us)}, {"kind", d.kind}};
  const json detail = ParseStored(d.detail_json);
  for (auto it = detail.begin(); it != detail.end(); ++it) {
    if (it.key() != "at") out[it.key()] = it.value();
  }
  return out;
}

json ToJson(const domain::RetrainRow& r) {
  json out{{"id", r.id},
           {"decision_id", r.decision_id},
           {"status", r.status},
           {"reason", r.reason},
           {"kpis", ParseStored(r.kpis_json)},
           {"requested_at", domain::FormatRfc3339(r.requested_at_us)},
           {"created_at", domain::FormatRfc3339(r.created_at_us)},
           {"updated_at", domain::FormatRfc3339(r.updated_at_us)}};
  out["model_version"] = r.model_version ? json(*r.model_version) : json(nullptr);
  out["outcome"] = r.outcome ? json(*r.outcome) : json(nullptr);
  if (r.outcome_at_us) out["outcome_at"] = domain::FormatRfc3339(*r.outcome_at_us);
  if (r.outcome_kpis_json) out["outcome_kpis"] = ParseStored(*r.outcome_kpis_json);
  if (r.deferral_json) out["deferral"] = ParseStored(*r.deferral_json);
  return out;
}

}  // namespace driftgate::api::dto
