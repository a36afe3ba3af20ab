#include "core/evaluate/data_quality.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace driftgate::evaluate {
namespace {

// `hint`: where the feature was in the previous row. Rows of one window usually list the same features in
// the same order, so the first comparison almost always hits; otherwise the row is searched and the hint
// follows it.
const domain::FeatureValue* Find(const FeatureRow& row, const std::string& name, std::size_t& hint) {
  if (hint >= row.size() || row[hint].first != name) {
    std::size_t i = 0;
    while (i < row.size() && row[i].first != name) ++i;
    if (i == row.size()) return nullptr;
    hint = i;
  }
  const auto& v = row[hint].second;
  return std::holds_alternative<std::monostate>(v) ? nullptr : &v;
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

namespace {

// Counts of one feature over a window, and the verdict they give against its reference profile.
struct Counts {
  std::size_t missing = 0, type_errors = 0, out_of_range = 0, unseen = 0;
};

double Margin(const FeatureProfile& ref, const domain::DataQualitySpec& spec) {
  const double span = ref.max - ref.min;
  return spec.range_margin * (span > 0 ? span : std::max(std::fabs(ref.min), 1.0));
}

FeatureQuality Judge(const std::string& name, const FeatureProfile& ref, const Counts& c, double n,
                     const domain::DataQualitySpec& spec) {
  FeatureQuality q{.feature = name,
                   .missing_rate = static_cast<double>(c.missing) / n,
                   .type_error_rate = static_cast<double>(c.type_errors) / n,
                   .out_of_range_rate = static_cast<double>(c.out_of_range) / n,
                   .unseen_rate = static_cast<double>(c.unseen) / n};
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
  return q;
}

void Add(QualityVerdict& v, FeatureQuality q) {
  if (q.broken) v.broken_features.push_back(q.feature);
  v.features.push_back(std::move(q));
}

}  // namespace

QualityVerdict AssessQuality(const ReferenceProfile& reference, std::span<const FeatureRow* const> rows,
                             const domain::DataQualitySpec& spec) {
  QualityVerdict v;
  if (rows.empty() || !spec.enabled) return v;
  for (const auto& [name, ref] : reference.features) {
    Counts c;
    const double margin = Margin(ref, spec);
    std::size_t hint = 0;
    for (const FeatureRow* row : rows) {
      const domain::FeatureValue* x = Find(*row, name, hint);
      if (!x) {
        ++c.missing;
      } else if (const auto* d = std::get_if<double>(x)) {
        if (!ref.numeric) {
          ++c.type_errors;
        } else if (*d < ref.min - margin || *d > ref.max + margin) {
          ++c.out_of_range;
        }
      } else if (const auto* s = std::get_if<std::string>(x)) {
        if (ref.numeric) {
          ++c.type_errors;
        } else if (!ref.categories.count(*s)) {
          ++c.unseen;
        }
      }
    }
    Add(v, Judge(name, ref, c, static_cast<double>(rows.size()), spec));
  }
  v.incident = !v.broken_features.empty();
  return v;
}

QualityVerdict AssessColumns(const ReferenceProfile& reference, std::size_t rows,
                             const std::map<std::string, WindowColumn>& columns,
                             const domain::DataQualitySpec& spec) {
  QualityVerdict v;
  if (rows == 0 || !spec.enabled) return v;
  for (const auto& [name, ref] : reference.features) {
    Counts c;
    const auto it = columns.find(name);
    const WindowColumn column = it == columns.end() ? WindowColumn{} : it->second;
    std::size_t counted = 0;
    for (const auto& [label, count] : column.label_counts) counted += count;
    c.missing = rows - std::min(rows, column.numbers.size() + column.labels.size() + counted);
    if (ref.numeric) {
      c.type_errors = column.labels.size() + counted;
      const double margin = Margin(ref, spec);
      c.out_of_range =
          static_cast<std::size_t>(std::count_if(column.numbers.begin(), column.numbers.end(), [&](double d) {
            return d < ref.min - margin || d > ref.max + margin;
          }));
    } else {
      c.type_errors = column.numbers.size();
      // Runs of equal labels are common (a few categories): the previous lookup is reused.
      const std::string* last = nullptr;
      bool last_seen = true;
      for (const auto& s : column.labels) {
        if (!last || s != *last) {
          last = &s;
          last_seen = ref.categories.count(s) > 0;
        }
        if (!last_seen) ++c.unseen;
      }
      for (const auto& [label, count] : column.label_counts) {
        if (ref.categories.count(label) == 0) c.unseen += count;
      }
    }
    Add(v, Judge(name, ref, c, static_cast<double>(rows), spec));
  }
  v.incident = !v.broken_features.empty();
  return v;
}

}  // namespace driftgate::evaluate
