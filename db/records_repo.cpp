#include "db/records_repo.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "db/citus.h"
#include "db/copy_stream.h"
#include "db/copy_text.h"
#include "db/drift_repo.h"
#include "db/exec.h"
#include "db/feature_block.h"
#include "db/sql/locks.h"
#include "db/sql/records.h"
#include "db/sql/transaction.h"

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

}  // namespace

void ReadInputFaults(kpi::Pair& pair, const pqxx::field& f) {
  pair.input_faults.clear();
  if (f.is_null()) {
    pair.input_judged = true;
    return;
  }
  const char* s = f.c_str();
  const char* end = s + f.size();
  for (const char* p = s; p < end;) {
    if (*p < '0' || *p > '9') {
      ++p;
      continue;
    }
    std::uint16_t code = 0;
    const auto [next, ec] = std::from_chars(p, end, code);
    if (ec == std::errc{}) pair.input_faults.push_back(code);
    p = next == p ? p + 1 : next;
  }
  pair.input_judged = !pair.input_faults.empty();
}

namespace {

// The COPY text of a prediction key row's `broken` column (see SetInputFaults).
void AppendInputFaults(std::string& buf, const domain::PredictionRecord& r) {
  if (!r.input_faults) {
    buf += "{}";
    return;
  }
  if (r.input_faults->empty()) {
    copy::AppendNull(buf);
    return;
  }
  buf += '{';
  for (std::size_t i = 0; i < r.input_faults->size(); ++i) {
    if (i) buf += ',';
    char digits[8];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, (*r.input_faults)[i]);
    buf.append(digits, end);
  }
  buf += '}';
}

// The label side of a pair from a row's label class, label value and data time in µs (columns `at` to
// at+2).
evaluate::LabeledEvent LabelEventFromRow(const pqxx::row& r, pqxx::row::size_type at) {
  evaluate::LabeledEvent ev;
  if (!r[at].is_null()) ev.pair.actual.assign(r[at].c_str(), r[at].size());
  if (!r[at + 1].is_null()) ev.pair.actual_value = NumberField(r[at + 1]);
  ev.ts_us = r[at + 2].as<std::int64_t>();
  return ev;
}

// The rows of a kPredictionKeysOf result by their record id (column 0); views into `r`.
using RowsById = std::unordered_map<std::string_view, pqxx::result::size_type>;
RowsById IndexById(const pqxx::result& r) {
  RowsById out;
  out.reserve(r.size() * 2);
  for (pqxx::result::size_type i = 0; i < r.size(); ++i) {
    out.emplace(std::string_view(r[i][0].c_str(), r[i][0].size()), i);
  }
  return out;
}

// The record ids (column 0) of a result as a text[] literal.
std::string IdsOf(const pqxx::result& r) {
  std::string out = "{";
  for (const auto& row : r) {
    if (out.size() > 1) out += ',';
    copy::AppendArrayElement(out, std::string_view(row[0].c_str(), row[0].size()));
  }
  out += '}';
  return out;
}

void AppendMicros(std::string& out, std::int64_t us) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, us);
  out.append(buf, end);
}

// One prediction_blocks row per `records` (at most kMaxBlock records each, in order), COPYed into the
// day partition: the native arrays SQL joins on, and the zstd body with everything else.
constexpr std::size_t kMaxBlock = 1u << 19;  // record seq = block seq * 2^20 + position (V012)

// A text[] literal of the records' ids, escaped for a COPY field.
void AppendIdsField(std::string& buf, std::span<const domain::PredictionRecord* const> records) {
  std::string array = "{";
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i) array += ',';
    copy::AppendArrayElement(array, records[i]->id);
  }
  array += '}';
  copy::AppendField(buf, array);
}

// A tab, then `bytes` as bytea hex input with its backslash escaped for COPY.
void AppendByteaField(std::string& buf, const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  buf += "\t\\\\x";
  std::size_t at = buf.size();
  buf.resize(at + bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    buf[at++] = kHex[b >> 4];
    buf[at++] = kHex[b & 15];
  }
}

// The fields of a prediction_blocks row after its seq: n, ts_min, ts_max, the arrays (`ids_field` the
// ids' one) and the zstd body.
void AppendBlockTail(std::string& buf, std::span<const domain::PredictionRecord* const> records,
                     const std::string& ids_field) {
  std::int64_t ts_min = records[0]->ts_us, ts_max = records[0]->ts_us;
  for (const auto* r : records) {
    ts_min = std::min(ts_min, r->ts_us);
    ts_max = std::max(ts_max, r->ts_us);
  }
  buf += std::to_string(records.size());
  buf += '\t';
  copy::AppendTimestamp(buf, ts_min);
  buf += '\t';
  copy::AppendTimestamp(buf, ts_max);
  buf += '\t';
  buf += ids_field;
  std::string array;
  auto put_array = [&](auto element) {
    array = "{";
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (i) array += ',';
      element(*records[i]);
    }
    array += '}';
    buf += '\t';
    copy::AppendField(buf, array);
  };
  put_array([&](const domain::PredictionRecord& r) {
    if (r.prediction.cls.empty()) {
      array += "NULL";
    } else {
      copy::AppendArrayElement(array, r.prediction.cls);
    }
  });
  put_array([&](const domain::PredictionRecord& r) {
    if (r.prediction.cls.empty()) {
      copy::AppendNumber(array, r.prediction.value);
    } else {
      array += "NULL";
    }
  });
  put_array([&](const domain::PredictionRecord& r) {
    if (r.score) {
      copy::AppendNumber(array, *r.score);
    } else {
      array += "NULL";
    }
  });
  // Input faults (migrations/V011, V012): NULL judged without fault, "{}" not judged, "{9,14}" the codes.
  put_array([&](const domain::PredictionRecord& r) {
    if (r.input_faults && r.input_faults->empty()) {
      array += "NULL";
      return;
    }
    std::string faults = "{";
    if (r.input_faults) {
      for (std::size_t i = 0; i < r.input_faults->size(); ++i) {
        if (i) faults += ',';
        faults += std::to_string((*r.input_faults)[i]);
      }
    }
    faults += '}';
    copy::AppendArrayElement(array, faults);
  });
  // Segments (migrations/V017): the whole column NULL when no record has one, the common case.
  if (std::none_of(records.begin(), records.end(), [](const auto* r) { return r->segment.has_value(); })) {
    buf += "\t\\N";
  } else {
    put_array([&](const domain::PredictionRecord& r) {
      if (r.segment) {
        copy::AppendArrayElement(array, *r.segment);
      } else {
        array += "NULL";
      }
    });
  }
  AppendByteaField(buf,
                   EncodeBlock(std::vector<const domain::PredictionRecord*>(records.begin(), records.end())));
}

// A block's COPY text but for its seq, which is drawn under the model's lock: everything else — the zstd
// body above all — is built before the lock is taken.
struct PreparedBlock {
  std::span<const domain::PredictionRecord* const> records{};
  std::string ids_field{};  // prediction_keys.ids, and the same field of prediction_blocks
  std::string tail{};       // the prediction_blocks fields after seq
};

// `records` as blocks of at most kMaxBlock, in order.
std::vector<PreparedBlock> PrepareBlocks(const std::vector<const domain::PredictionRecord*>& records) {
  std::vector<PreparedBlock> blocks;
  for (std::size_t at = 0; at < records.size(); at += kMaxBlock) {
    PreparedBlock& b = blocks.emplace_back();
    b.records = std::span(records).subspan(at, std::min(kMaxBlock, records.size() - at));
    AppendIdsField(b.ids_field, b.records);
    AppendBlockTail(b.tail, b.records, b.ids_field);
  }
  return blocks;
}

// The prepared blocks, each one row of prediction_blocks (day partition) and one of prediction_keys (month
// partition: the id index), under seqs drawn here.
void CopyBlocks(pqxx::transaction_base& tx, std::int64_t model_id, const std::vector<PreparedBlock>& blocks) {
  const pqxx::result seqs = Exec(tx, sql::kNextBlockSeqs, static_cast<long>(blocks.size()));
  std::vector<std::string> seq(blocks.size());
  for (std::size_t k = 0; k < blocks.size(); ++k)
    seq[k] = seqs[static_cast<pqxx::result::size_type>(k)][0].c_str();
  const std::string model = std::to_string(model_id);
  std::vector<std::size_t> order(blocks.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  {
    CopyStream stream(tx, "prediction_blocks",
                      {"model_id", "seq", "n", "ts_min", "ts_max", "ids", "cls", "value", "score", "broken",
                       "segments", "body"});
    CopyRecords(stream, order, [&](std::string& buf, std::size_t k) {
      buf += model;
      buf += '\t';
      buf += seq[k];
      buf += '\t';
      buf += blocks[k].tail;
      return true;
    });
  }
  CopyStream keys(tx, "prediction_keys", {"model_id", "seq", "ids"});
  CopyRecords(keys, order, [&](std::string& buf, std::size_t k) {
    buf += model;
    buf += '\t';
    buf += seq[k];
    buf += '\t';
    buf += blocks[k].ids_field;
    return true;
  });
}

// Positions of `records` in id byte order — record_id's "C" collation, the order of every claim.
template <class Record>
std::vector<std::size_t> ByIdOrder(std::span<const Record> records) {
  std::vector<std::size_t> order(records.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return records[a].id < records[b].id; });
  return order;
}

// The ids of `records` at `positions` as a text[] literal.
template <class Record>
std::string IdArray(std::span<const Record> records, const std::vector<std::size_t>& positions) {
  std::string out = "{";
  for (std::size_t i : positions) {
    if (out.size() > 1) out += ',';
    copy::AppendArrayElement(out, records[i].id);
  }
  out += '}';
  return out;
}

// The fast path of an id claim, for a batch whose ids are all new: its key rows, written by
// `write_keys(stream)` in id order, are COPYed straight into record_keys inside a savepoint, and the ids
// ($ids, a text[] literal) are looked for in the older key months. True when every id was new: the rows
// stay. False — savepoint rolled back, nothing written — when some id is known (a retried batch, or one
// sharing ids with a concurrent batch, which it waits for as the claim statement would): the caller then
// claims with the INSERT ... ON CONFLICT statement, which sorts out which ones. `also(sub)` writes what is
// undone together with the keys.
template <class WriteKeys, class Also>
bool ClaimAllByCopy(pqxx::transaction_base& tx, std::int64_t model_id, const char* kind,
                    const std::vector<std::string>& columns, const std::string& ids, WriteKeys write_keys,
                    Also also) {
  // A plain savepoint with a fixed name (pqxx::subtransaction numbers its names, and every distinct name
  // would be a statement of its own in pg_stat_statements).
  ExecText(tx, sql::kSavepointClaim);
  try {
    {
      CopyStream stream(tx, "record_keys", columns);
      write_keys(stream);
    }
    if (Exec1(tx, sql::kKnownInOlderMonths, model_id, kind, ids)[0].as<bool>()) {
      ExecText(tx, sql::kRollbackClaim);
      return false;
    }
    also(tx);
    ExecText(tx, sql::kReleaseClaim);
    return true;
  } catch (const pqxx::sql_error& e) {
    if (!IsUniqueViolation(e)) throw;
    ExecText(tx, sql::kRollbackClaim);
    return false;
  }
}

const std::vector<std::string> kLabelKeyColumns = {"model_id", "kind",  "record_id", "ts",
                                                   "cls",      "value", "matched"};

}  // namespace

void LockModel(pqxx::transaction_base& tx, std::int64_t model_id) { Exec(tx, sql::kLockModel, model_id); }
void LockModelShared(pqxx::transaction_base& tx, std::int64_t model_id) {
  Exec(tx, sql::kLockModelShared, model_id);
}

void StagePredictions(pqxx::transaction_base& tx, std::span<const domain::PredictionRecord> records) {
  ExecText(tx, sql::kCreatePredictionStage);
  CopyStream stream(tx, "stage_predictions");
  CopyRecords(stream, records, [](std::string& buf, const domain::PredictionRecord& r) {
    copy::AppendField(buf, r.id);
    buf += '\t';
    AppendMicros(buf, r.ts_us);
    buf += '\t';
    copy::AppendPredictionFields(buf, r);
    buf += '\t';
    AppendInputFaults(buf, r);
    return true;
  });
}

namespace {

// The records of `records` whose id is not in `seen` (which collects them), an id repeated within the
// batch counting once, in batch order.
std::vector<const domain::PredictionRecord*> NewRecords(std::span<const domain::PredictionRecord> records,
                                                        std::unordered_set<std::string_view>& seen) {
  std::vector<const domain::PredictionRecord*> fresh;
  fresh.reserve(records.size());
  for (const auto& r : records) {
    if (seen.emplace(r.id).second) fresh.push_back(&r);
  }
  return fresh;
}

}  // namespace

PredictionInsert InsertPredictions(pqxx::transaction_base& tx, std::int64_t model_id,
                                   std::span<const domain::PredictionRecord> records,
                                   std::size_t reference_capacity, const std::function<void()>& before_rows) {
  PredictionInsert out;
  if (records.empty()) return out;
  const std::string ids = IdArray(records, ByIdOrder(records));
  // Probed and encoded before the lock that serializes the model's batches to commit; under it only the
  // blocks committed since the probe are read back (migrations/V016__prediction_id_probe.sql). A batch
  // sharing ids with a stored or concurrent one — a retry, almost never — is sorted out under the lock.
  // A caller that serialized the model's batches already (no `before_rows`: a reference being captured,
  // small batches of many models) looks the ids up once, under its lock.
  std::int64_t watermark = 0;
  bool maybe_known = true;
  if (before_rows) {
    const pqxx::row probe = Exec1(tx, sql::kProbePredictionIds, model_id, ids);
    watermark = probe[0].as<std::int64_t>();
    maybe_known = probe[1].as<bool>();
  }
  std::unordered_set<std::string_view> seen;
  seen.reserve(records.size() * 2);
  std::vector<const domain::PredictionRecord*> fresh = NewRecords(records, seen);
  std::vector<PreparedBlock> blocks;
  if (!maybe_known) blocks = PrepareBlocks(fresh);
  if (before_rows) before_rows();
  Exec(tx, sql::kLockPredictionInsert, model_id);
  const pqxx::result known = maybe_known ? Exec(tx, sql::kKnownPredictions, model_id, ids)
                                         : Exec(tx, sql::kIdsOfNewerBlocks, model_id, watermark);
  const bool shared = maybe_known || std::any_of(known.begin(), known.end(), [&](const pqxx::row& row) {
                        return seen.count(std::string_view(row[0].c_str(), row[0].size())) > 0;
                      });
  if (shared) {
    seen.clear();
    for (const auto& row : known) seen.emplace(row[0].c_str(), row[0].size());
    fresh = NewRecords(records, seen);
    blocks = PrepareBlocks(fresh);
  }
  out.accepted = fresh.size();
  out.duplicates = records.size() - out.accepted;
  if (fresh.empty()) return out;
  CopyBlocks(tx, model_id, blocks);
  if (reference_capacity > 0)
    out.added_to_reference = CopyAutoReference(tx, model_id, fresh, reference_capacity);
  std::string stored_ids = "{";  // the batch's ids again unless some were left out
  if (out.duplicates > 0) {
    for (const auto* r : fresh) {
      if (stored_ids.size() > 1) stored_ids += ',';
      copy::AppendArrayElement(stored_ids, r->id);
    }
    stored_ids += '}';
  }
  const std::string& new_ids = out.duplicates > 0 ? stored_ids : ids;
  out.completed_pairs = Exec(tx, sql::kMatchWaitingLabelsIds, model_id, new_ids).affected_rows();
  if (out.completed_pairs > 0) Exec(tx, sql::kMarkRawLabelsMatchedIds, model_id, new_ids);
  return out;
}

namespace {

void StageLabels(pqxx::transaction_base& tx, std::span<const domain::LabelRecord> records) {
  ExecText(tx, sql::kCreateLabelStage);
  CopyStream stream(tx, "stage_labels");
  std::size_t ord = 0;
  CopyRecords(stream, records, [&](std::string& buf, const domain::LabelRecord& r) {
    buf += std::to_string(ord++);
    buf += '\t';
    copy::AppendField(buf, r.id);
    buf += '\t';
    copy::AppendTarget(buf, r.label);
    buf += '\t';
    if (r.ts_us) {
      AppendMicros(buf, *r.ts_us);
    } else {
      copy::AppendNull(buf);
    }
    return true;
  });
}

void SetActual(kpi::Pair& pair, const domain::Target& t) {
  if (t.cls.empty()) {
    pair.actual_value = t.value;
  } else {
    pair.actual = t.cls;
  }
}

// The prediction side of a pair from a key row's cls, value, score, broken, segment (columns `at` to at+4).
void SetPredicted(evaluate::LabeledEvent& ev, const pqxx::row& r, pqxx::row::size_type at) {
  kpi::Pair& pair = ev.pair;
  if (!r[at].is_null()) pair.predicted.assign(r[at].c_str(), r[at].size());
  if (!r[at + 1].is_null()) pair.predicted_value = NumberField(r[at + 1]);
  if (!r[at + 2].is_null()) pair.score = NumberField(r[at + 2]);
  ReadInputFaults(pair, r[at + 3]);
  if (!r[at + 4].is_null()) ev.segment = r[at + 4].as<std::string>();
}

// Slow path of StoreLabels: staged, then one statement claims the new ids and stores their rows, paired
// with `predictions` (kPredictionKeysOf of the batch's ids, indexed by `prediction_of`).
LabelInsert StoreStagedLabels(pqxx::transaction_base& tx, std::int64_t model_id,
                              std::span<const domain::LabelRecord> records, const pqxx::result& predictions,
                              const RowsById& prediction_of) {
  LabelInsert out;
  StageLabels(tx, records);
  const pqxx::result rows = Exec(tx, sql::kInsertLabelsFromStage, model_id, IdsOf(predictions));
  out.accepted = rows.size();
  out.duplicates = records.size() - out.accepted;
  out.stored.reserve(rows.size());
  for (const auto& r : rows) {
    StoredLabel label{
        .id = r[4].as<std::string>(), .event = LabelEventFromRow(r, 1), .matched = r[0].as<bool>()};
    if (label.matched) SetPredicted(label.event, predictions[prediction_of.at(label.id)], 1);
    out.stored.push_back(std::move(label));
  }
  return out;
}

}  // namespace

LabelInsert StoreLabels(pqxx::transaction_base& tx, std::int64_t model_id,
                        std::span<const domain::LabelRecord> records) {
  LabelInsert out;
  if (records.empty()) return out;
  const std::vector<std::size_t> by_id = ByIdOrder(records);
  const std::string ids = IdArray(records, by_id);
  // Committed predictions of the batch's ids, before the claim: a prediction committed later ran its match
  // of waiting labels without seeing this batch, and MatchLabels finds it under the lock.
  const pqxx::result predictions = Exec(tx, sql::kPredictionKeysOf, model_id, ids);
  const RowsById prediction_of = IndexById(predictions);
  std::int64_t now_us = 0;
  if (std::any_of(records.begin(), records.end(), [](const domain::LabelRecord& r) { return !r.ts_us; })) {
    now_us = Exec1(tx, sql::kNowMicros)[0].as<std::int64_t>();  // the data time of labels without one
  }
  auto ts_of = [&](const domain::LabelRecord& r) { return r.ts_us ? *r.ts_us : now_us; };
  auto matched = [&](const domain::LabelRecord& r) { return prediction_of.count(r.id) > 0; };
  const std::string model = std::to_string(model_id);
  const bool all_new = ClaimAllByCopy(
      tx, model_id, "l", kLabelKeyColumns, ids,
      [&](CopyStream& stream) {
        CopyRecords(stream, by_id, [&](std::string& buf, std::size_t i) {
          const auto& r = records[i];
          buf += model;
          buf += "\tl\t";
          copy::AppendField(buf, r.id);
          buf += '\t';
          copy::AppendTimestamp(buf, ts_of(r));
          buf += '\t';
          copy::AppendTarget(buf, r.label);
          buf += matched(r) ? "\tt" : "\tf";
          return true;
        });
      },
      [](pqxx::transaction_base&) {});
  if (!all_new) return StoreStagedLabels(tx, model_id, records, predictions, prediction_of);

  CopyStream stream(tx, "labels",
                    {"model_id", "record_id", "label_class", "label_value", "ts", "matched", "ord"});
  std::size_t ord = 0;
  CopyRecords(stream, records, [&](std::string& buf, const domain::LabelRecord& r) {
    buf += model;
    buf += '\t';
    copy::AppendField(buf, r.id);
    buf += '\t';
    copy::AppendTarget(buf, r.label);
    buf += '\t';
    copy::AppendTimestamp(buf, ts_of(r));
    buf += matched(r) ? "\tt\t" : "\tf\t";
    buf += std::to_string(ord++);
    return true;
  });
  out.accepted = records.size();
  out.stored.reserve(records.size());
  for (const auto& r : records) {
    StoredLabel label{.id = r.id};
    label.event.ts_us = ts_of(r);
    SetActual(label.event.pair, r.label);
    if (auto it = prediction_of.find(r.id); it != prediction_of.end()) {
      SetPredicted(label.event, predictions[it->second], 1);
      label.matched = true;
    }
    out.stored.push_back(std::move(label));
  }
  return out;
}

void MatchLabels(pqxx::transaction_base& tx, std::int64_t model_id, LabelInsert& ins) {
  std::string ids = "{";
  for (const auto& label : ins.stored) {
    if (label.matched) continue;
    if (ids.size() > 1) ids += ',';
    copy::AppendArrayElement(ids, label.id);
  }
  ids += '}';
  const pqxx::result found =
      ids.size() > 2 ? Exec(tx, sql::kPredictionKeysOf, model_id, ids) : pqxx::result();
  if (!found.empty()) {
    const RowsById prediction_of = IndexById(found);
    const pqxx::result marked = Exec(tx, sql::kMatchStoredLabels, model_id, IdsOf(found));
    std::unordered_set<std::string_view> now_matched;
    for (const auto& r : marked) now_matched.emplace(r[0].c_str(), r[0].size());
    for (auto& label : ins.stored) {
      if (label.matched || !now_matched.count(label.id)) continue;
      SetPredicted(label.event, found[prediction_of.at(label.id)], 1);
      label.matched = true;
    }
  }
  ins.events.reserve(ins.events.size() + ins.stored.size());
  for (auto& label : ins.stored) {
    if (label.matched) {
      ins.events.push_back(std::move(label.event));
    } else {
      ++ins.unmatched;
    }
  }
  ins.stored.clear();
}

LabelInsert InsertLabels(pqxx::transaction_base& tx, std::int64_t model_id,
                         std::span<const domain::LabelRecord> records) {
  LabelInsert ins = StoreLabels(tx, model_id, records);
  MatchLabels(tx, model_id, ins);
  return ins;
}

std::vector<evaluate::LabeledEvent> TakeQueuedPairs(pqxx::transaction_base& tx, std::int64_t model_id) {
  std::vector<evaluate::LabeledEvent> events;
  const pqxx::result queued = Exec(tx, sql::kTakeQueue, model_id);
  if (queued.empty()) return events;
  const pqxx::result predictions = Exec(tx, sql::kPredictionKeysOf, model_id, IdsOf(queued));
  const RowsById prediction_of = IndexById(predictions);
  events.reserve(queued.size());
  for (const auto& r : queued) {
    const auto it = prediction_of.find(std::string_view(r[0].c_str(), r[0].size()));
    if (it == prediction_of.end()) continue;  // a pair needs both sides
    evaluate::LabeledEvent ev = LabelEventFromRow(r, 1);
    SetPredicted(ev, predictions[it->second], 1);
    events.push_back(std::move(ev));
  }
  return events;
}

bool HasQueuedPairs(pqxx::transaction_base& tx, std::int64_t model_id) {
  return ExecText1(tx, sql::kQueueNotEmpty, model_id)[0].as<bool>();
}

void DeleteModelRecords(pqxx::transaction_base& tx, std::int64_t model_id) {
  for (const char* statement :
       {sql::kDeleteModelPredictionBlocks, sql::kDeleteModelPredictionKeys, sql::kDeleteModelLabels,
        sql::kDeleteModelRecordKeys, sql::kDeleteModelEvalQueue}) {
    ExecText(tx, statement, model_id);
  }
}

}  // namespace driftgate::db
