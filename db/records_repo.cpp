#include "db/records_repo.h"

#include <charconv>
#include <functional>
#include <pqxx/tablewriter>
#include <string_view>
#include <unordered_set>

#include "db/copy_text.h"
#include "db/exec.h"
#include "db/sql.h"

namespace driftgate::db {
namespace {

// A number column read with from_chars: pqxx 6.4's as<double>() goes through a locale-aware stream, which
// was a visible share of a label batch's CPU time. PostgreSQL writes infinities and NaN as words.
double NumberField(const pqxx::field& f) {
  const char* s = f.c_str();
  const std::size_t n = f.size();
  double v = 0;
  if (auto [end, ec] = std::from_chars(s, s + n, v); ec == std::errc{} && end == s + n) return v;
  return f.as<double>();
}

evaluate::LabeledEvent EventFromRow(const pqxx::row& r) {
  // Columns: matched, pred_class, pred_value, score, label_class, label_value, ts_us
  evaluate::LabeledEvent ev;
  if (!r[1].is_null()) ev.pair.predicted.assign(r[1].c_str(), r[1].size());
  if (!r[2].is_null()) ev.pair.predicted_value = NumberField(r[2]);
  if (!r[3].is_null()) ev.pair.score = NumberField(r[3]);
  if (!r[4].is_null()) ev.pair.actual.assign(r[4].c_str(), r[4].size());
  if (!r[5].is_null()) ev.pair.actual_value = NumberField(r[5]);
  ev.ts_us = r[6].as<std::int64_t>();
  return ev;
}

void AppendMicros(std::string& out, std::int64_t us) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, us);
  out.append(buf, end);
}

// A COPY ... FROM STDIN fed with whole buffers of COPY-text rows. libpqxx 6.4 keeps stream_to's
// raw-line writer private; tablewriter's is public (deprecated in 6.x, removed in 7 — where stream_to
// exposes it). One PQputCopyData per megabyte instead of one per row.
class CopyIn {
 public:
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  CopyIn(pqxx::transaction_base& tx, const std::string& table) : writer_(tx, table) {}
  CopyIn(pqxx::transaction_base& tx, const std::string& table, const std::vector<std::string>& columns)
      : writer_(tx, table, columns.begin(), columns.end()) {}
#pragma GCC diagnostic pop
  // `buf` holds complete rows, each ending in '\n'; pqxx appends the last newline itself.
  void Write(std::string& buf) {
    if (buf.empty()) return;
    buf.pop_back();
    writer_.write_raw_line(buf);
    buf.clear();
  }
  void Complete() { writer_.complete(); }

 private:
  pqxx::tablewriter writer_;
};

constexpr std::size_t kCopyChunk = 1 << 20;

// COPYs one text row per record into `stream`, sent in chunks of about kCopyChunk: `row(buf, r)` appends
// the record's fields (without the newline), or returns false to leave the record out.
template <class Record, class Row>
void CopyRecords(CopyIn& stream, std::span<const Record> records, Row row) {
  std::string buf;
  buf.reserve(std::min<std::size_t>(kCopyChunk * 2, records.size() * 160));
  for (const auto& r : records) {
    const std::size_t start = buf.size();
    if (!row(buf, r)) {
      buf.resize(start);
      continue;
    }
    buf += '\n';
    if (buf.size() > kCopyChunk) stream.Write(buf);
  }
  stream.Write(buf);
  stream.Complete();
}

// pred_class, pred_value: a class, or a number for regression.
void AppendTarget(std::string& buf, const domain::Target& t) {
  if (t.cls.empty()) {
    copy::AppendNull(buf);
    buf += '\t';
    copy::AppendNumber(buf, t.value);
  } else {
    copy::AppendField(buf, t.cls);
    buf += '\t';
    copy::AppendNull(buf);
  }
}

void AppendOptionalNumber(std::string& buf, const std::optional<double>& v) {
  if (v) {
    copy::AppendNumber(buf, *v);
  } else {
    copy::AppendNull(buf);
  }
}

// pred_class, pred_value, score, scores, features, segment of a prediction, as COPY text.
void AppendPredictionFields(std::string& buf, const domain::PredictionRecord& r) {
  AppendTarget(buf, r.prediction);
  buf += '\t';
  AppendOptionalNumber(buf, r.score);
  buf += '\t';
  if (r.class_scores.empty()) {
    copy::AppendNull(buf);
  } else {
    std::string json = "{";
    for (std::size_t i = 0; i < r.class_scores.size(); ++i) {
      if (i) json += ',';
      copy::AppendJsonString(json, r.class_scores[i].first);
      json += ':';
      copy::AppendNumber(json, r.class_scores[i].second);
    }
    json += '}';
    copy::AppendField(buf, json);
  }
  buf += '\t';
  std::string json;
  copy::AppendFeaturesJson(json, r.features);
  copy::AppendField(buf, json);
  buf += '\t';
  if (r.segment) {
    copy::AppendField(buf, *r.segment);
  } else {
    copy::AppendNull(buf);
  }
}

const std::vector<std::string> kPredictionColumns = {
    "model_id", "record_id", "ts", "pred_class", "pred_value", "score", "scores", "features", "segment"};

// COPYs the records `keep` accepts straight into predictions (their day partition).
void CopyPredictions(pqxx::transaction_base& tx, std::int64_t model_id,
                     std::span<const domain::PredictionRecord> records,
                     const std::function<bool(const domain::PredictionRecord&)>& keep) {
  CopyIn stream(tx, "predictions", kPredictionColumns);
  const std::string model = std::to_string(model_id);
  CopyRecords(stream, records, [&](std::string& buf, const domain::PredictionRecord& r) {
    if (!keep(r)) return false;
    buf += model;
    buf += '\t';
    copy::AppendField(buf, r.id);
    buf += '\t';
    copy::AppendTimestamp(buf, r.ts_us);
    buf += '\t';
    AppendPredictionFields(buf, r);
    return true;
  });
}

}  // namespace

void LockModel(pqxx::transaction_base& tx, std::int64_t model_id) { Exec(tx, sql::kLockModel, model_id); }
void LockModelShared(pqxx::transaction_base& tx, std::int64_t model_id) {
  Exec(tx, sql::kLockModelShared, model_id);
}

void StagePredictions(pqxx::transaction_base& tx, std::span<const domain::PredictionRecord> records) {
  tx.exec(sql::kCreatePredictionStage);
  CopyIn stream(tx, "stage_predictions");
  CopyRecords(stream, records, [](std::string& buf, const domain::PredictionRecord& r) {
    copy::AppendField(buf, r.id);
    buf += '\t';
    AppendMicros(buf, r.ts_us);
    buf += '\t';
    AppendPredictionFields(buf, r);
    return true;
  });
}

namespace {
void StagePredictionKeys(pqxx::transaction_base& tx, std::span<const domain::PredictionRecord> records) {
  tx.exec(sql::kCreateKeyStage);
  CopyIn stream(tx, "stage_keys");
  CopyRecords(stream, records, [](std::string& buf, const domain::PredictionRecord& r) {
    copy::AppendField(buf, r.id);
    buf += '\t';
    AppendTarget(buf, r.prediction);
    buf += '\t';
    AppendOptionalNumber(buf, r.score);
    return true;
  });
}
}  // namespace

PredictionInsert InsertPredictions(pqxx::transaction_base& tx, std::int64_t model_id,
                                   std::span<const domain::PredictionRecord> records,
                                   std::size_t reference_capacity, const std::function<void()>& before_rows) {
  PredictionInsert out;
  if (records.empty()) return out;
  const char* match = sql::kMatchWaitingLabels;
  const char* mark = sql::kMarkRawLabelsMatched;
  if (reference_capacity > 0) {
    if (before_rows) before_rows();
    // The model's first predictions also become its drift reference, chosen in SQL (ordered by ts):
    // the whole rows are staged and inserted in one statement.
    StagePredictions(tx, records);
    const pqxx::row r =
        Exec1(tx, sql::kInsertPredictionsWithReference, model_id, static_cast<long>(reference_capacity));
    out.accepted = r[0].as<std::size_t>();
    out.added_to_reference = r[1].as<std::size_t>();
    match = sql::kMatchWaitingLabelsStaged;
    mark = sql::kMarkRawLabelsMatchedStaged;
  } else {
    // The common case: stage just the ids and targets, claim the new ids in record_keys, then COPY only
    // the new rows, once, straight into their partition — not into a staging table and again from it.
    StagePredictionKeys(tx, records);
    const pqxx::result fresh = Exec(tx, sql::kInsertKeysFromStage, model_id);
    out.accepted = fresh.size();
    if (before_rows) before_rows();
    if (out.accepted == records.size()) {
      CopyPredictions(tx, model_id, records, [](const domain::PredictionRecord&) { return true; });
    } else if (out.accepted > 0) {
      std::unordered_set<std::string_view> accepted;
      accepted.reserve(fresh.size() * 2);
      for (const auto& row : fresh) accepted.emplace(row[0].c_str(), row[0].size());
      // Erased on use: a record is copied at most once even if an id were repeated in `records`.
      CopyPredictions(tx, model_id, records,
                      [&](const domain::PredictionRecord& r) { return accepted.erase(r.id) > 0; });
    }
  }
  out.duplicates = records.size() - out.accepted;
  out.completed_pairs = Exec(tx, match, model_id).affected_rows();
  if (out.completed_pairs > 0) Exec(tx, mark, model_id);
  return out;
}

LabelInsert InsertLabels(pqxx::transaction_base& tx, std::int64_t model_id,
                         std::span<const domain::LabelRecord> records) {
  if (records.empty()) return {};
  StageLabels(tx, records);
  return InsertStagedLabels(tx, model_id, records.size());
}

void StageLabels(pqxx::transaction_base& tx, std::span<const domain::LabelRecord> records) {
  tx.exec(sql::kCreateLabelStage);
  CopyIn stream(tx, "stage_labels");
  std::size_t ord = 0;
  CopyRecords(stream, records, [&](std::string& buf, const domain::LabelRecord& r) {
    buf += std::to_string(ord++);
    buf += '\t';
    copy::AppendField(buf, r.id);
    buf += '\t';
    AppendTarget(buf, r.label);
    buf += '\t';
    if (r.ts_us) {
      AppendMicros(buf, *r.ts_us);
    } else {
      copy::AppendNull(buf);
    }
    return true;
  });
}

LabelInsert InsertStagedLabels(pqxx::transaction_base& tx, std::int64_t model_id, std::size_t staged) {
  LabelInsert out;
  if (staged == 0) return out;
  const pqxx::result rows = Exec(tx, sql::kInsertLabelsFromStage, model_id);
  out.accepted = rows.size();
  out.duplicates = staged - out.accepted;
  out.events.reserve(rows.size());
  for (const auto& r : rows) {
    if (r[0].as<bool>()) {
      out.events.push_back(EventFromRow(r));
    } else {
      ++out.unmatched;
    }
  }
  return out;
}

std::vector<evaluate::LabeledEvent> TakeQueuedPairs(pqxx::transaction_base& tx, std::int64_t model_id) {
  std::vector<evaluate::LabeledEvent> events;
  for (const auto& r : Exec(tx, sql::kTakeQueue, model_id)) events.push_back(EventFromRow(r));
  return events;
}

bool HasQueuedPairs(pqxx::transaction_base& tx, std::int64_t model_id) {
  return tx.exec_params1(sql::kQueueNotEmpty, model_id)[0].as<bool>();
}

}  // namespace driftgate::db
