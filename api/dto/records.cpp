#include "api/dto/records.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "api/dto/json_body.h"
#include "core/domain/classes.h"
#include "core/domain/time.h"

namespace driftgate::api::dto {
namespace {

using nlohmann::json;

// Beyond this, sums and squares in detectors and statistics overflow (e.g. ADWIN's variance terms above
// ~1e154) and doubles no longer hold integers exactly; no real prediction, label or feature needs more.
constexpr double kMaxMagnitude = 1e15;
// How far a multiclass score object's probabilities may sum from 1: room for scores rounded to two
// decimals over a few classes, none for a distribution that is not one (1.8, 0.1).
constexpr double kProbabilitySumTolerance = 0.01;

Error Bad(const std::string& field, const std::string& msg) {
  return Error::Invalid(field, field + ": " + msg);
}

bool HasControlChars(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Parses the body and checks the envelope `{"records": [...]}`.
Result<json> ParseEnvelope(std::string_view body, const Limits& limits) {
  auto parsed = ParseJsonBody(body, limits.max_depth);
  if (!parsed.ok()) return parsed.error();
  json doc = std::move(parsed).value();
  if (!doc.is_object()) return Bad("body", "must be a JSON object");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "records") return Bad(MemberPath("", it.key()), "unknown field");
  }
  if (!doc.contains("records")) return Bad("records", "is required");
  if (!doc["records"].is_array()) return Bad("records", "must be an array");
  if (doc["records"].size() > limits.max_records) {
    return Error{ErrorCode::kPayloadTooLarge,
                 "records: at most " + std::to_string(limits.max_records) + " records per batch", "records"};
  }
  return doc;
}

std::optional<Error> ReadId(const json& rec, const std::string& at, const Limits& limits,
                            std::unordered_set<std::string_view>& seen, std::string& out) {
  if (!rec.contains("id")) return Bad(at + ".id", "is required");
  const json& id = rec["id"];
  if (!id.is_string()) return Bad(at + ".id", "must be a string");
  const auto& s = id.get_ref<const std::string&>();
  if (s.empty() || s.size() > limits.max_string) {
    return Bad(at + ".id", "must have 1 to " + std::to_string(limits.max_string) + " characters");
  }
  if (HasControlChars(s)) return Bad(at + ".id", "must not contain control characters");
  if (!seen.insert(s).second) return Bad(at + ".id", "duplicate id '" + s + "' inside the batch");
  out = s;
  return std::nullopt;
}

std::optional<Error> ReadTarget(const json& v, const std::string& field, const Limits& limits,
                                domain::Target& out) {
  if (v.is_number()) {
    const double d = v.get<double>();
    if (!std::isfinite(d) || std::fabs(d) > kMaxMagnitude) {
      return Bad(field, "must be a finite number of magnitude at most 1e15");
    }
    out.value = d;
    out.is_number = true;
    out.cls = CanonicalClass(d);
    return std::nullopt;
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > limits.max_string) {
      return Bad(field, "a class must have 1 to " + std::to_string(limits.max_string) + " characters");
    }
    if (HasControlChars(s)) return Bad(field, "must not contain control characters");
    out.cls = domain::CanonicalClassText(s);
    out.is_number = false;
    return std::nullopt;
  }
  return Bad(field, "must be a number or a string");
}

// A record's data time: RFC 3339, inside the time domain and not too far after `now_us`
// (core/domain/time.h).
std::optional<Error> ReadTs(const json& rec, const std::string& field, const Limits& limits,
                            std::int64_t now_us, std::optional<std::int64_t>& out) {
  if (!rec.contains("ts") || rec["ts"].is_null()) return std::nullopt;
  if (!rec["ts"].is_string()) return Bad(field, "must be an RFC 3339 string");
  const auto ts = domain::ParseRfc3339(rec["ts"].get_ref<const std::string&>());
  if (!ts) return Bad(field, "must be an RFC 3339 time such as 2026-11-23T06:00:00Z");
  if (auto why = domain::OutsideDataTime(*ts, now_us, limits.max_future_skew_seconds * 1'000'000)) {
    return Bad(field, *why);
  }
  out = *ts;
  return std::nullopt;
}

bool Probability(const json& v) {
  if (!v.is_number()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && d >= 0.0 && d <= 1.0;
}

// A multiclass score object: class -> probability. Class keys are canonical (core/domain/classes.h), so
// "1" and "1.0" name one class and may not both appear; the probabilities sum to 1 within
// kProbabilitySumTolerance.
std::optional<Error> ReadClassScores(const json& s, const std::string& field, const Limits& limits,
                                     std::vector<std::pair<std::string, double>>& out) {
  if (s.empty()) return Bad(field, "must name at least one class");
  if (s.size() > limits.max_features) return Bad(field, "too many classes");
  double sum = 0.0;
  for (auto it = s.begin(); it != s.end(); ++it) {
    const std::string at = MemberPath(field, it.key());
    if (it.key().empty() || it.key().size() > limits.max_string || HasControlChars(it.key())) {
      return Bad(
          at, "a class name must have 1 to " + std::to_string(limits.max_string) + " printable characters");
    }
    if (!Probability(it.value())) return Bad(at, "must be a probability in [0, 1]");
    std::string cls = domain::CanonicalClassText(it.key());
    for (const auto& [earlier, p] : out) {
      if (earlier == cls)
        return Bad(at, "names class \"" + cls + "\" a second time (class keys are canonical)");
    }
    sum += it.value().get<double>();
    out.emplace_back(std::move(cls), it.value().get<double>());
  }
  if (std::fabs(sum - 1.0) > kProbabilitySumTolerance) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", sum);
    return Bad(field, std::string("class probabilities must sum to 1 (within 0.01); they sum to ") + text);
  }
  return std::nullopt;
}

std::int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::size_t JsonDepth(std::string_view body) {
  std::size_t depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max_depth = std::max(max_depth, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

std::string CanonicalClass(double v) { return domain::CanonicalClass(v); }

namespace {

// One feature value: null (missing), a finite number, or a string.
std::optional<Error> ReadFeature(const std::string& name, const json& v, const std::string& field,
                                 const Limits& limits, domain::PredictionRecord& r) {
  if (name.empty() || name.size() > 256 || HasControlChars(name)) {
    return Bad(field, "a feature name must have 1 to 256 printable characters");
  }
  if (v.is_null()) {
    r.features.emplace_back(name, std::monostate{});
  } else if (v.is_number()) {
    const double d = v.get<double>();
    if (!std::isfinite(d) || std::fabs(d) > kMaxMagnitude) {
      return Bad(field, "must be a finite number of magnitude at most 1e15");
    }
    r.features.emplace_back(name, d);
  } else if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > limits.max_string) {
      return Bad(field, "at most " + std::to_string(limits.max_string) + " characters");
    }
    // Features are stored as jsonb, which refuses "\u0000" (the whole batch would fail with a 500).
    if (s.find('\0') != std::string::npos) return Bad(field, "must not contain the NUL character (\\u0000)");
    r.features.emplace_back(name, s);
  } else {
    return Bad(field, "must be a number, a string or null");
  }
  return std::nullopt;
}

std::optional<Error> ReadFeatures(const json& rec, const std::string& at, const Limits& limits,
                                  domain::PredictionRecord& r) {
  if (!rec.contains("features") || rec["features"].is_null()) return std::nullopt;
  const json& f = rec["features"];
  if (!f.is_object()) return Bad(at + ".features", "must be an object");
  if (f.size() > limits.max_features) {
    return Bad(at + ".features", "at most " + std::to_string(limits.max_features) + " features per record");
  }
  r.features.reserve(f.size());
  for (auto it = f.begin(); it != f.end(); ++it) {
    if (auto e = ReadFeature(it.key(), it.value(), MemberPath(at + ".features", it.key()), limits, r))
      return e;
  }
  return std::nullopt;
}

// `score`: a probability (binary) or an object class → probability (multiclass); `segment`: a string.
std::optional<Error> ReadScoreAndSegment(const json& rec, const std::string& at, const Limits& limits,
                                         domain::PredictionRecord& r) {
  if (rec.contains("score") && !rec["score"].is_null()) {
    const json& s = rec["score"];
    if (s.is_object()) {
      if (auto e = ReadClassScores(s, at + ".score", limits, r.class_scores)) return e;
    } else if (Probability(s)) {
      r.score = s.get<double>();
    } else {
      return Bad(at + ".score", "must be a probability in [0, 1] or an object class → probability");
    }
  }
  if (rec.contains("segment") && !rec["segment"].is_null()) {
    if (!rec["segment"].is_string()) return Bad(at + ".segment", "must be a string");
    const auto& s = rec["segment"].get_ref<const std::string&>();
    if (s.size() > limits.max_string || HasControlChars(s)) {
      return Bad(at + ".segment",
                 "must have at most " + std::to_string(limits.max_string) + " printable characters");
    }
    r.segment = s;
  }
  return std::nullopt;
}

std::optional<Error> ReadPrediction(const json& rec, const std::string& at, const Limits& limits,
                                    std::unordered_set<std::string_view>& seen, std::int64_t now,
                                    domain::PredictionRecord& r) {
  if (!rec.is_object()) return Bad(at, "must be an object");
  for (auto it = rec.begin(); it != rec.end(); ++it) {
    const auto& k = it.key();
    if (k != "id" && k != "ts" && k != "features" && k != "prediction" && k != "score" && k != "segment") {
      return Bad(MemberPath(at, k), "unknown field");
    }
  }
  if (auto e = ReadId(rec, at, limits, seen, r.id)) return e;
  std::optional<std::int64_t> ts;
  if (auto e = ReadTs(rec, at + ".ts", limits, now, ts)) return e;
  r.ts_us = ts.value_or(now);
  if (!rec.contains("prediction")) return Bad(at + ".prediction", "is required");
  if (auto e = ReadTarget(rec["prediction"], at + ".prediction", limits, r.prediction)) return e;
  if (auto e = ReadScoreAndSegment(rec, at, limits, r)) return e;
  return ReadFeatures(rec, at, limits, r);
}

}  // namespace

Result<std::vector<domain::PredictionRecord>> ParsePredictionBatch(std::string_view body,
                                                                   const Limits& limits) {
  auto doc = ParseEnvelope(body, limits);
  if (!doc.ok()) return doc.error();
  const json& records = (*doc)["records"];
  std::vector<domain::PredictionRecord> out(records.size());
  std::unordered_set<std::string_view> seen;
  seen.reserve(records.size() * 2);
  const std::int64_t now = NowMicros();
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (auto e =
            ReadPrediction(records[i], "records[" + std::to_string(i) + "]", limits, seen, now, out[i])) {
      return *e;
    }
  }
  return out;
}

Result<std::vector<domain::LabelRecord>> ParseLabelBatch(std::string_view body, const Limits& limits) {
  auto doc = ParseEnvelope(body, limits);
  if (!doc.ok()) return doc.error();
  const json& records = (*doc)["records"];
  std::vector<domain::LabelRecord> out(records.size());
  std::unordered_set<std::string_view> seen;
  seen.reserve(records.size() * 2);
  const std::int64_t now = NowMicros();
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& rec = records[i];
    const std::string at = "records[" + std::to_string(i) + "]";
    if (!rec.is_object()) return Bad(at, "must be an object");
    for (auto it = rec.begin(); it != rec.end(); ++it) {
      const auto& k = it.key();
      if (k != "id" && k != "ts" && k != "label") return Bad(MemberPath(at, k), "unknown field");
    }
    auto& r = out[i];
    if (auto e = ReadId(rec, at, limits, seen, r.id)) return *e;
    if (auto e = ReadTs(rec, at + ".ts", limits, now, r.ts_us)) return *e;
    if (!rec.contains("label")) return Bad(at + ".label", "is required");
    if (auto e = ReadTarget(rec["label"], at + ".label", limits, r.label)) return *e;
  }
  return out;
}

}  // namespace driftgate::api::dto
