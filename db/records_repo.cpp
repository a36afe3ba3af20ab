#include "db/records_repo.h"

#include <charconv>
#include <pqxx/tablewriter>

#include "db/copy_text.h"
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

}  // namespace

void LockModel(pqxx::transaction_base& tx, std::int64_t model_id) { tx.exec_params(sql::kLockModel, model_id); }
void LockModelShared(pqxx::transaction_base& tx, std::int64_t model_id) {
  tx.exec_params(sql::kLockModelShared, model_id);
}

void StagePredictions(pqxx::transaction_base& tx, std::span<const domain::PredictionRecord> records) {
  tx.exec(sql::kCreatePredictionStage);
  {
    CopyIn stream(tx, "stage_predictions");
    std::string buf;
    buf.reserve(std::min<std::size_t>(kCopyChunk * 2, records.size() * 160));
    for (const auto& r : records) {
      copy::AppendField(buf, r.id);
      buf += '\t';
      AppendMicros(buf, r.ts_us);
      buf += '\t';
      if (r.prediction.cls.empty()) {
        copy::AppendNull(buf);
        buf += '\t';
        copy::AppendNumber(buf, r.prediction.value);
      } else {
        copy::AppendField(buf, r.prediction.cls);
        buf += '\t';
        copy::AppendNull(buf);
      }
      buf += '\t';
      if (r.score) {
        copy::AppendNumber(buf, *r.score);
      } else {
        copy::AppendNull(buf);
      }
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
      buf += '\n';
      if (buf.size() > kCopyChunk) stream.Write(buf);
    }
    stream.Write(buf);
    stream.Complete();
  }
}

PredictionInsert InsertPredictions(pqxx::transaction_base& tx, std::int64_t model_id,
                                   std::span<const domain::PredictionRecord> records,
                                   std::size_t reference_capacity) {
  if (records.empty()) return {};
  StagePredictions(tx, records);
  return InsertStagedPredictions(tx, model_id, records.size(), reference_capacity);
}

PredictionInsert InsertStagedPredictions(pqxx::transaction_base& tx, std::int64_t model_id, std::size_t staged,
                                         std::size_t reference_capacity) {
  PredictionInsert out;
  if (staged == 0) return out;
  if (reference_capacity > 0) {
    const pqxx::row r = tx.exec_params1(sql::kInsertPredictionsWithReference, model_id,
                                        static_cast<long>(reference_capacity));
    out.accepted = r[0].as<std::size_t>();
    out.added_to_reference = r[1].as<std::size_t>();
  } else {
    out.accepted = tx.exec_params1(sql::kInsertPredictionsFromStage, model_id)[0].as<std::size_t>();
  }
  out.duplicates = staged - out.accepted;
  out.completed_pairs = tx.exec_params(sql::kMatchWaitingLabels, model_id).affected_rows();
  if (out.completed_pairs > 0) tx.exec_params(sql::kMarkRawLabelsMatched, model_id);
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
  {
    CopyIn stream(tx, "stage_labels");
    std::string buf;
    std::size_t ord = 0;
    for (const auto& r : records) {
      buf += std::to_string(ord++);
      buf += '\t';
      copy::AppendField(buf, r.id);
      buf += '\t';
      if (r.label.cls.empty()) {
        copy::AppendNull(buf);
        buf += '\t';
        copy::AppendNumber(buf, r.label.value);
      } else {
        copy::AppendField(buf, r.label.cls);
        buf += '\t';
        copy::AppendNull(buf);
      }
      buf += '\t';
      if (r.ts_us) {
        AppendMicros(buf, *r.ts_us);
      } else {
        copy::AppendNull(buf);
      }
      buf += '\n';
      if (buf.size() > kCopyChunk) stream.Write(buf);
    }
    stream.Write(buf);
    stream.Complete();
  }
}

LabelInsert InsertStagedLabels(pqxx::transaction_base& tx, std::int64_t model_id, std::size_t staged) {
  LabelInsert out;
  if (staged == 0) return out;
  const pqxx::result rows = tx.exec_params(sql::kInsertLabelsFromStage, model_id);
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
  for (const auto& r : tx.exec_params(sql::kTakeQueue, model_id)) events.push_back(EventFromRow(r));
  return events;
}

bool HasQueuedPairs(pqxx::transaction_base& tx, std::int64_t model_id) {
  return tx.exec_params1(sql::kQueueNotEmpty, model_id)[0].as<bool>();
}

}  // namespace driftgate::db
