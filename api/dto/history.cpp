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

Result<PageRequest> ParsePageQuery(const Request& req, const CursorCodec& codec, std::string_view route) {
  PageRequest out;
  domain::PageQuery& q = out.query;
  for (const char* key : {"from", "to"}) {
    if (auto v = req.Query(key)) {
      auto ts = domain::ParseRfc3339(*v);
      if (!ts)
        return Error::Invalid(key,
                              std::string(key) + ": must be an RFC 3339 time, e.g. 2026-11-23T06:00:00Z");
      if (auto why = domain::OutsideTimeDomain(*ts, domain::kMaxTimeUs + 1)) {
        return Error::Invalid(key, std::string(key) + ": " + *why);
      }
      (std::string(key) == "from" ? q.from_us : q.to_us) = *ts;
    }
  }
  if (auto v = req.Query("limit")) {
    auto n = ParseInt(*v);
    if (!n || *n < 1 || *n > 1000) return Error::Invalid("limit", "limit: must be an integer from 1 to 1000");
    q.limit = static_cast<std::size_t>(*n);
  }
  const auto model = req.params.find("model");
  out.listing = std::string(route) + "|" + (model == req.params.end() ? std::string() : model->second) + "|" +
                (q.from_us ? std::to_string(*q.from_us) : std::string()) + "|" +
                (q.to_us ? std::to_string(*q.to_us) : std::string());
  if (auto v = req.Query("cursor"); v && !v->empty()) {
    const auto position = codec.Decode(out.listing, *v);
    if (!position) {
      return Error::Invalid(
          "cursor", "cursor: not a cursor this server issued for this listing (same model, from and to)");
    }
    q.after_at_us = position->at_us;
    q.after_seq = position->seq;
  }
  return out;
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
  out["segment"] = d.segment ? json(*d.segment) : json(nullptr);
  if (d.deferral_json) out["deferral"] = ParseStored(*d.deferral_json);
  return out;
}

json ToJson(const domain::MetricRow& m) {
  json out{{"at", domain::FormatRfc3339(m.at_us)},
           {"n", m.n},
           {"generation", m.generation},
           {"kpis", ParseStored(m.kpis_json)}};
  if (m.per_class_json) out["per_class"] = ParseStored(*m.per_class_json);
  return out;
}

json ToJson(const domain::DriftRow& d) {
  json out{{"at", domain::FormatRfc3339(d.at_us)}, {"kind", d.kind}};
  out["segment"] = d.segment ? json(*d.segment) : json(nullptr);
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
