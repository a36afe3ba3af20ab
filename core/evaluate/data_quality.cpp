#include "core/evaluate/data_quality.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace driftgate::evaluate {
namespace {

const domain::FeatureValue* Find(const FeatureRow& row, const std::string& name) {
  for (const auto& [k, v] : row) {
    if (k == name) return std::holds_alternative<std::monostate>(v) ? nullptr : &v;
  }
  return nullptr;
}

std::string Rate(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", r);
  return buf;
}

}  // namespace

ReferenceProfile Profile(std::span<const FeatureRow* const> rows) {
  ReferenceProfile p;
  p.rows = rows.size();
  struct Tally {
    std::size_t numbers = 0, strings = 0;
    double min = 0, max = 0;
    std::set<std::string> categories;
  };
  std::map<std::string, Tally> tallies;
  for (const FeatureRow* row : rows) {
    for (const auto& [name, v] : *row) {
      auto& t = tallies[name];
      if (const auto* d = std::get_if<double>(&v)) {
        t.min = t.numbers == 0 ? *d : std::min(t.min, *d);
        t.max = t.numbers == 0 ? *d : std::max(t.max, *d);
        ++t.numbers;
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        ++t.strings;
        t.categories.insert(*s);
      }
    }
  }
  const double n = std::max<double>(static_cast<double>(p.rows), 1.0);
  for (auto& [name, t] : tallies) {
    FeatureProfile f;
    f.numeric = t.numbers >= t.strings;
    f.min = t.min;
    f.max = t.max;
    f.categories = std::move(t.categories);
    const double present = static_cast<double>(t.numbers + t.strings);
    f.missing_rate = (static_cast<double>(p.rows) - present) / n;
    f.type_error_rate = static_cast<double>(f.numeric ? t.strings : t.numbers) / n;
    p.features[name] = std::move(f);
  }
  return p;
}

QualityVerdict AssessQuality(const ReferenceProfile& reference, std::span<const FeatureRow* const> rows,
                             const domain::DataQualitySpec& spec) {
  QualityVerdict v;
  if (rows.empty() || !spec.enabled) return v;
  const double n = static_cast<double>(rows.size());
  for (const auto& [name, ref] : reference.features) {
    std::size_t missing = 0, type_errors = 0, out_of_range = 0, unseen = 0;
    const double span = ref.max - ref.min;
    const double margin = spec.range_margin * (span > 0 ? span : std::max(std::fabs(ref.min), 1.0));
    for (const FeatureRow* row : rows) {
      const domain::FeatureValue* x = Find(*row, name);
      if (!x) {
        ++missing;
      } else if (const auto* d = std::get_if<double>(x)) {
        if (!ref.numeric) {
          ++type_errors;
        } else if (*d < ref.min - margin || *d > ref.max + margin) {
          ++out_of_range;
        }
      } else if (const auto* s = std::get_if<std::string>(x)) {
        if (ref.numeric) {
          ++type_errors;
        } else if (!ref.categories.count(*s)) {
          ++unseen;
        }
      }
    }
    FeatureQuality q{.feature = name,
                     .missing_rate = static_cast<double>(missing) / n,
                     .type_error_rate = static_cast<double>(type_errors) / n,
                     .out_of_range_rate = static_cast<double>(out_of_range) / n,
                     .unseen_rate = static_cast<double>(unseen) / n};
    auto judge = [&](const char* what, double rate, double baseline) {
      if (rate > spec.max_rate && rate > spec.min_ratio * baseline) {
        q.broken = true;
        q.reasons.push_back(std::string(what) + " " + Rate(rate) + " (reference " + Rate(baseline) + ")");
      }
    };
    judge("missing", q.missing_rate, ref.missing_rate);
    judge("type_error", q.type_error_rate, ref.type_error_rate);
    judge("out_of_range", q.out_of_range_rate, 0.0);
    judge("unseen", q.unseen_rate, 0.0);
    if (q.broken) v.broken_features.push_back(name);
    v.features.push_back(std::move(q));
  }
  v.incident = !v.broken_features.empty();
  return v;
}

}  // namespace driftgate::evaluate
