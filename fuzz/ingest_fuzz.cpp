// libFuzzer target: an ingest request body -> validated records (api/dto/records.h), the path every
// POST .../predictions and .../labels body takes before anything reaches PostgreSQL; the same bytes as
// any request body (api/dto/json_body.h: duplicate member names, numbers out of range) and as a paging
// cursor (api/dto/cursor.h).
//
// Each input is parsed as a prediction batch and as a label batch, under the default limits and under
// tight ones (so the limit branches are reachable with small inputs). Beyond "no crash, no leak, no UB"
// (ASan/UBSan/LSan), the contract of the header is checked: a rejected batch names a field in a
// non-empty, valid UTF-8 message; an accepted batch holds only records that obey every documented rule,
// with unique non-empty ids.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "api/dto/cursor.h"
#include "api/dto/json_body.h"
#include "api/dto/records.h"
#include "core/domain/classes.h"
#include "core/domain/time.h"

namespace {

using driftgate::Error;
using driftgate::ErrorCode;
using driftgate::api::dto::Limits;

// Reports the broken invariant and aborts: libFuzzer saves the input as a crash artifact.
#define FUZZ_CHECK(cond)                                                                              \
  do {                                                                                                \
    if (!(cond)) {                                                                                    \
      std::fprintf(stderr, "ingest_fuzz: invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                                   \
    }                                                                                                 \
  } while (0)

bool Printable(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// The message travels in a problem+json body: it must serialize without the replacement fallback.
bool ValidUtf8(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

void CheckError(const Error& e) {
  FUZZ_CHECK(e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kPayloadTooLarge);
  FUZZ_CHECK(!e.message.empty());
  FUZZ_CHECK(!e.field.empty());
  FUZZ_CHECK(e.message.find(e.field) != std::string::npos);  // the detail names the field
  FUZZ_CHECK(ValidUtf8(e.message));
}

void CheckId(const std::string& id, const Limits& limits, std::set<std::string>& ids) {
  FUZZ_CHECK(!id.empty());
  FUZZ_CHECK(id.size() <= limits.max_string);
  FUZZ_CHECK(Printable(id));
  FUZZ_CHECK(ids.insert(id).second);  // unique inside the batch
}

void CheckTarget(const driftgate::domain::Target& t, const Limits& limits) {
  if (t.is_number) {
    FUZZ_CHECK(std::isfinite(t.value));
    FUZZ_CHECK(t.cls == driftgate::api::dto::CanonicalClass(t.value));
  } else {
    FUZZ_CHECK(!t.cls.empty());
    FUZZ_CHECK(t.cls.size() <= limits.max_string);
    FUZZ_CHECK(Printable(t.cls));
  }
  FUZZ_CHECK(driftgate::domain::CanonicalClassText(t.cls) == t.cls);  // one spelling per class
}

// An accepted time lies in the time domain, and formats back to itself as RFC 3339.
void CheckTime(std::int64_t us) {
  FUZZ_CHECK(us >= driftgate::domain::kMinTimeUs && us < driftgate::domain::kMaxTimeUs);
  const std::string text = driftgate::domain::FormatRfc3339(us);
  const auto again = driftgate::domain::ParseRfc3339(text);
  FUZZ_CHECK(again.has_value() && *again == us);
}

void Predictions(std::string_view body, const Limits& limits) {
  auto r = driftgate::api::dto::ParsePredictionBatch(body, limits);
  if (!r.ok()) {
    CheckError(r.error());
    return;
  }
  FUZZ_CHECK(r->size() <= limits.max_records);
  FUZZ_CHECK(driftgate::api::dto::JsonDepth(body) <= limits.max_depth);
  std::set<std::string> ids;
  for (const auto& rec : *r) {
    CheckId(rec.id, limits, ids);
    CheckTime(rec.ts_us);
    CheckTarget(rec.prediction, limits);
    FUZZ_CHECK(!(rec.score && !rec.class_scores.empty()));
    if (rec.score) FUZZ_CHECK(*rec.score >= 0.0 && *rec.score <= 1.0);
    FUZZ_CHECK(rec.class_scores.size() <= limits.max_features);
    std::set<std::string> classes;
    double sum = 0.0;
    for (const auto& [cls, p] : rec.class_scores) {
      FUZZ_CHECK(!cls.empty() && cls.size() <= limits.max_string && Printable(cls));
      FUZZ_CHECK(driftgate::domain::CanonicalClassText(cls) == cls);
      FUZZ_CHECK(classes.insert(cls).second);  // canonical keys are distinct
      FUZZ_CHECK(p >= 0.0 && p <= 1.0);
      sum += p;
    }
    if (!rec.class_scores.empty()) FUZZ_CHECK(std::fabs(sum - 1.0) <= 0.01);
    if (rec.segment) FUZZ_CHECK(rec.segment->size() <= limits.max_string && Printable(*rec.segment));
    FUZZ_CHECK(rec.features.size() <= limits.max_features);
    std::set<std::string> names;
    for (const auto& [name, value] : rec.features) {
      FUZZ_CHECK(!name.empty() && name.size() <= 256 && Printable(name));
      FUZZ_CHECK(names.insert(name).second);
      if (const auto* d = std::get_if<double>(&value)) FUZZ_CHECK(std::isfinite(*d));
      if (const auto* s = std::get_if<std::string>(&value)) {
        FUZZ_CHECK(s->size() <= limits.max_string);
        FUZZ_CHECK(s->find('\0') == std::string::npos);  // jsonb cannot store U+0000
      }
    }
  }
}

void Labels(std::string_view body, const Limits& limits) {
  auto r = driftgate::api::dto::ParseLabelBatch(body, limits);
  if (!r.ok()) {
    CheckError(r.error());
    return;
  }
  FUZZ_CHECK(r->size() <= limits.max_records);
  std::set<std::string> ids;
  for (const auto& rec : *r) {
    CheckId(rec.id, limits, ids);
    CheckTarget(rec.label, limits);
    if (rec.ts_us) CheckTime(*rec.ts_us);
  }
}

// Any body: a document, or an invalid-argument error naming a field that its message names. A document
// holds no object with a member name twice (the DOM would keep only one: re-serialized, it is shorter).
void Body(std::string_view body) {
  auto r = driftgate::api::dto::ParseJsonBody(body, 32);
  if (!r.ok()) {
    CheckError(r.error());
    return;
  }
  FUZZ_CHECK(driftgate::api::dto::JsonDepth(body) <= 32);
  const auto plain = nlohmann::json::parse(body, nullptr, false);
  FUZZ_CHECK(!plain.is_discarded());
  FUZZ_CHECK(plain == *r);
}

// The bytes as a cursor: only an issued one decodes, to what it was issued for, and only for its listing.
void Cursor(std::string_view text) {
  static const driftgate::api::dto::CursorCodec kCodec(std::string(32, 'k'));
  const auto decoded = kCodec.Decode("decisions|m||", text);
  if (decoded) {
    FUZZ_CHECK(kCodec.Encode("decisions|m||", *decoded) == text);
    FUZZ_CHECK(!kCodec.Decode("decisions|other||", text));
  }
  if (text.size() <= 64) {
    std::uint64_t h[2] = {0, 0};  // unsigned: wraps instead of overflowing
    for (std::size_t i = 0; i < text.size(); ++i)
      h[i % 2] = h[i % 2] * 31 + static_cast<unsigned char>(text[i]);
    const auto at = static_cast<std::int64_t>(h[0]), seq = static_cast<std::int64_t>(h[1]);
    const std::string issued = kCodec.Encode("drift|m|1|2", {.at_us = at, .seq = seq});
    const auto back = kCodec.Decode("drift|m|1|2", issued);
    FUZZ_CHECK(back && back->at_us == at && back->seq == seq);
    FUZZ_CHECK(!kCodec.Decode("drift|m|1|3", issued));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  static const Limits kDefault{};
  static const Limits kTight{.max_records = 3, .max_features = 2, .max_string = 8, .max_depth = 4};
  for (const Limits* limits : {&kDefault, &kTight}) {
    Predictions(body, *limits);
    Labels(body, *limits);
  }
  Body(body);
  Cursor(body);
  return 0;
}
