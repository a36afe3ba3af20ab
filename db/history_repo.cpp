#include "db/history_repo.h"

#include <string>
#include <string_view>

#include "db/exec.h"
#include "db/sql/decisions.h"
#include "db/sql/drift_events.h"
#include "db/sql/metrics.h"
#include "db/sql/retrains.h"

namespace driftgate::db {
namespace {

// `extra` are the query's parameters after the page's ($7 on).
template <class Row, class Map, class... Extra>
domain::Page<Row> Run(pqxx::transaction_base& tx, const std::string& query, std::int64_t model_id,
                      const domain::PageQuery& q, Map map, const Extra&... extra) {
  auto opt = [](const std::optional<std::int64_t>& v) -> std::optional<std::string> {
    if (!v) return std::nullopt;
    return std::to_string(*v);
  };
  const auto from = opt(q.from_us), to = opt(q.to_us), after_at = opt(q.after_at_us),
             after_seq = opt(q.after_seq);
  auto c = [](const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; };
  const pqxx::result rows = ExecText(tx, query, model_id, c(from), c(to), c(after_at), c(after_seq),
                                     static_cast<long>(q.limit + 1), extra...);
  domain::Page<Row> page;
  const std::size_t n = std::min<std::size_t>(rows.size(), q.limit);
  page.items.reserve(n);
  for (std::size_t i = 0; i < n; ++i) page.items.push_back(map(rows[static_cast<int>(i)]));
  if (rows.size() > q.limit && n > 0) {
    const auto& last = rows[static_cast<int>(n - 1)];
    page.next_at_us = last["at_us"].as<std::int64_t>();
    page.next_seq = last["seq"].as<std::int64_t>();
  }
  return page;
}

}  // namespace

domain::Page<domain::DecisionRow> ListDecisions(pqxx::transaction_base& tx, std::int64_t model_id,
                                                const domain::PageQuery& q) {
  return Run<domain::DecisionRow>(tx, sql::kListDecisions, model_id, q, [](const pqxx::row& r) {
    domain::DecisionRow d;
    d.id = r[0].as<std::string>();
    d.at_us = r[1].as<std::int64_t>();
    d.created_at_us = r[2].as<std::int64_t>();
    d.action = r[3].as<std::string>();
    d.reason = r[4].as<std::string>();
    d.kpis_json = r[5].as<std::string>();
    d.detectors_json = r[6].as<std::string>();
    if (!r[7].is_null()) d.retrain_id = r[7].as<std::string>();
    if (!r["deferral"].is_null()) d.deferral_json = r["deferral"].as<std::string>();
    if (!r["segment"].is_null()) d.segment = r["segment"].as<std::string>();
    return d;
  });
}

namespace {
// One page of a KPI series table: `metrics` (realized) or `estimated_metrics` (label-free); same columns.
domain::Page<domain::MetricRow> ListSeries(pqxx::transaction_base& tx, const std::string& query,
                                           std::int64_t model_id, const domain::PageQuery& q) {
  return Run<domain::MetricRow>(tx, query, model_id, q, [](const pqxx::row& r) {
    domain::MetricRow m{.at_us = r[0].as<std::int64_t>(),
                        .generation = r[1].as<int>(),
                        .n = r[2].as<int>(),
                        .kpis_json = r[3].as<std::string>()};
    if (r.size() > 5 && !r[5].is_null()) m.per_class_json = r[5].as<std::string>();
    return m;
  });
}
}  // namespace

domain::Page<domain::MetricRow> ListMetrics(pqxx::transaction_base& tx, std::int64_t model_id,
                                            const domain::PageQuery& q) {
  return ListSeries(tx, sql::kListMetrics, model_id, q);
}

domain::Page<domain::MetricRow> ListSegmentMetrics(pqxx::transaction_base& tx, std::int64_t model_id,
                                                   const std::string& segment, const domain::PageQuery& q) {
  return Run<domain::MetricRow>(
      tx, sql::kListSegmentMetrics, model_id, q,
      [](const pqxx::row& r) {
        return domain::MetricRow{.at_us = r[0].as<std::int64_t>(),
                                 .generation = r[1].as<int>(),
                                 .n = r[2].as<int>(),
                                 .kpis_json = r[3].as<std::string>()};
      },
      segment);
}

domain::Page<domain::MetricRow> ListEstimatedMetrics(pqxx::transaction_base& tx, std::int64_t model_id,
                                                     const domain::PageQuery& q) {
  return ListSeries(tx, sql::kListEstimatedMetrics, model_id, q);
}

namespace {
// A drift event row: at_us, kind, detail, seq, segment.
domain::DriftRow DriftFromRow(const pqxx::row& r) {
  domain::DriftRow d{.at_us = r[0].as<std::int64_t>(),
                     .kind = r[1].as<std::string>(),
                     .detail_json = r[2].as<std::string>()};
  if (!r[4].is_null()) d.segment = r[4].as<std::string>();
  return d;
}
}  // namespace

domain::Page<domain::DriftRow> ListDrift(pqxx::transaction_base& tx, std::int64_t model_id,
                                         const domain::PageQuery& q) {
  return Run<domain::DriftRow>(tx, sql::kListDrift, model_id, q, DriftFromRow);
}

domain::Page<domain::DriftRow> ListSegmentDrift(pqxx::transaction_base& tx, std::int64_t model_id,
                                                const std::string& segment, const domain::PageQuery& q) {
  return Run<domain::DriftRow>(tx, sql::kListSegmentDrift, model_id, q, DriftFromRow, segment);
}

domain::RetrainRow RetrainFromRow(const pqxx::row& r) {
  domain::RetrainRow x;
  x.id = r[0].as<std::string>();
  x.decision_id = r[1].as<std::string>();
  x.status = r[2].as<std::string>();
  x.reason = r[3].as<std::string>();
  x.kpis_json = r[4].as<std::string>();
  x.requested_at_us = r[5].as<std::int64_t>();
  x.created_at_us = r[6].as<std::int64_t>();
  x.updated_at_us = r[7].as<std::int64_t>();
  if (!r[8].is_null()) x.model_version = r[8].as<std::string>();
  // Columns after seq (9): outcome, outcome_at, outcome_kpis (V005).
  if (r.size() > 12) {
    if (!r[10].is_null()) x.outcome = r[10].as<std::string>();
    if (!r[11].is_null()) x.outcome_at_us = r[11].as<std::int64_t>();
    if (!r[12].is_null()) x.outcome_kpis_json = r[12].as<std::string>();
  }
  // The carbon-aware deferral (V007), by name: queries that leave it out still read.
  for (pqxx::row::size_type i = 13; i < r.size(); ++i) {
    if (std::string_view(r[i].name()) == "deferral" && !r[i].is_null())
      x.deferral_json = r[i].as<std::string>();
  }
  return x;
}

domain::Page<domain::RetrainRow> ListRetrains(pqxx::transaction_base& tx, std::int64_t model_id,
                                              const domain::PageQuery& q) {
  return Run<domain::RetrainRow>(tx, sql::kListRetrains, model_id, q, RetrainFromRow);
}

}  // namespace driftgate::db
