// Writers for PostgreSQL's COPY text format and for JSON text, without per-field allocations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain/records.h"

namespace driftgate::db::copy {

// Appends `s` escaped for a COPY text field (backslash, tab, newline, carriage return).
void AppendField(std::string& out, std::string_view s);
inline void AppendNull(std::string& out) { out += "\\N"; }
// Shortest round-trip decimal for a finite double.
void AppendNumber(std::string& out, double v);
// Appends `s` as a JSON string literal.
void AppendJsonString(std::string& out, std::string_view s);
// Appends `s` as an element of a text[] literal ("{...}"): double-quoted, backslash and quote escaped.
void AppendArrayElement(std::string& out, std::string_view s);
// `{"name": value, ...}` for a record's features.
void AppendFeaturesJson(std::string& out, const std::vector<std::pair<std::string, domain::FeatureValue>>& f);
// `2026-11-23 06:00:00.000000+00` — what COPY's timestamptz input accepts.
void AppendTimestamp(std::string& out, std::int64_t us);

// pred_class, pred_value of a prediction: a class, or a number for regression.
void AppendTarget(std::string& out, const domain::Target& t);
void AppendOptionalNumber(std::string& out, const std::optional<double>& v);
// A multiclass record's class -> probability object as a COPY field; NULL without one.
void AppendClassScores(std::string& out, const domain::PredictionRecord& r);
// pred_class, pred_value, score, scores, features, segment of a prediction: the prediction columns of
// stage_predictions and reference_records, in that order.
void AppendPredictionFields(std::string& out, const domain::PredictionRecord& r);

}  // namespace driftgate::db::copy
