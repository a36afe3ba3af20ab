#include "db/copy_text.h"

#include <charconv>

#include "core/domain/time.h"

namespace driftgate::db::copy {

void AppendField(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

void AppendArrayElement(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void AppendNumber(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void AppendFeaturesJson(std::string& out,
                        const std::vector<std::pair<std::string, domain::FeatureValue>>& features) {
  out += '{';
  bool first = true;
  for (const auto& [name, value] : features) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, name);
    out += ':';
    if (const auto* d = std::get_if<double>(&value)) {
      AppendNumber(out, *d);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      AppendJsonString(out, *s);
    } else {
      out += "null";
    }
  }
  out += '}';
}

void AppendTimestamp(std::string& out, std::int64_t us) { out += domain::FormatRfc3339(us); }

void AppendTarget(std::string& buf, const domain::Target& t) {
  if (t.cls.empty()) {
    AppendNull(buf);
    buf += '\t';
    AppendNumber(buf, t.value);
  } else {
    AppendField(buf, t.cls);
    buf += '\t';
    AppendNull(buf);
  }
}

void AppendOptionalNumber(std::string& buf, const std::optional<double>& v) {
  if (v) {
    AppendNumber(buf, *v);
  } else {
    AppendNull(buf);
  }
}

void AppendClassScores(std::string& buf, const domain::PredictionRecord& r) {
  if (r.class_scores.empty()) {
    AppendNull(buf);
    return;
  }
  std::string json = "{";
  for (std::size_t i = 0; i < r.class_scores.size(); ++i) {
    if (i) json += ',';
    AppendJsonString(json, r.class_scores[i].first);
    json += ':';
    AppendNumber(json, r.class_scores[i].second);
  }
  json += '}';
  AppendField(buf, json);
}

void AppendPredictionFields(std::string& buf, const domain::PredictionRecord& r) {
  AppendTarget(buf, r.prediction);
  buf += '\t';
  AppendOptionalNumber(buf, r.score);
  buf += '\t';
  AppendClassScores(buf, r);
  buf += '\t';
  std::string json;
  AppendFeaturesJson(json, r.features);
  AppendField(buf, json);
  buf += '\t';
  if (r.segment) {
    AppendField(buf, *r.segment);
  } else {
    AppendNull(buf);
  }
}

}  // namespace driftgate::db::copy
