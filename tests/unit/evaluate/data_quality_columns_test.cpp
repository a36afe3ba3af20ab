// AssessColumns (core/evaluate/data_quality.h) gives AssessQuality's verdict from a window already grouped
// by column — the form a drift check collects — on windows with every kind of defect.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/evaluate/data_quality.h"

namespace driftgate::evaluate {
namespace {

struct Grouped {
  std::map<std::string, std::vector<double>> numbers;
  std::map<std::string, std::vector<std::string>> labels;
  std::map<std::string, WindowColumn> Columns() const {
    std::map<std::string, WindowColumn> out;
    for (const auto& [name, v] : numbers) out[name].numbers = v;
    for (const auto& [name, v] : labels) out[name].labels = v;
    return out;
  }
};

Grouped Group(const std::vector<FeatureRow>& rows) {
  Grouped g;
  for (const auto& row : rows) {
    for (const auto& [name, value] : row) {
      if (const auto* d = std::get_if<double>(&value)) g.numbers[name].push_back(*d);
      if (const auto* s = std::get_if<std::string>(&value)) g.labels[name].push_back(*s);
    }
  }
  return g;
}

std::vector<const FeatureRow*> Ptrs(const std::vector<FeatureRow>& rows) {
  std::vector<const FeatureRow*> p;
  for (const auto& r : rows) p.push_back(&r);
  return p;
}

TEST(DataQualityColumns, GiveTheVerdictOfTheRowWiseAssessment) {
  std::vector<FeatureRow> reference;
  for (int i = 0; i < 200; ++i) {
    FeatureRow r{{"amount", static_cast<double>(i)}, {"country", std::string(i % 2 ? "DE" : "FR")}};
    if (i % 10 == 0) {
      r.emplace_back("note", std::monostate{});
    } else if (i % 4 == 0) {
      r.emplace_back("note", std::string("x"));
    }
    reference.push_back(std::move(r));
  }
  std::vector<FeatureRow> window;
  for (int i = 0; i < 300; ++i) {
    FeatureRow r;
    if (i % 7 == 0) {
      r.emplace_back("amount", std::string("oops"));  // type error
    } else if (i % 3 != 0) {
      r.emplace_back("amount", i % 5 == 0 ? 1e6 : static_cast<double>(i % 150));  // some out of range
    }
    if (i % 13 == 0) {
      r.emplace_back("country", std::monostate{});  // null: missing
    } else if (i % 11 == 0) {
      r.emplace_back("country", 3.0);  // type error
    } else if (i % 2 == 0) {
      r.emplace_back("country", std::string(i % 8 == 0 ? "XX" : "DE"));  // some unseen
    }
    window.push_back(std::move(r));
  }
  const ReferenceProfile profile = Profile(Ptrs(reference));
  for (const domain::DataQualitySpec spec :
       {domain::DataQualitySpec{}, domain::DataQualitySpec{.max_rate = 0.5}}) {
    const QualityVerdict rows = AssessQuality(profile, Ptrs(window), spec);
    const Grouped grouped = Group(window);
    const QualityVerdict columns = AssessColumns(profile, window.size(), grouped.Columns(), spec);
    EXPECT_EQ(columns.incident, rows.incident);
    EXPECT_EQ(columns.broken_features, rows.broken_features);
    ASSERT_EQ(columns.features.size(), rows.features.size());
    for (std::size_t i = 0; i < rows.features.size(); ++i) {
      const auto& a = columns.features[i];
      const auto& b = rows.features[i];
      EXPECT_EQ(a.feature, b.feature);
      EXPECT_DOUBLE_EQ(a.missing_rate, b.missing_rate) << a.feature;
      EXPECT_DOUBLE_EQ(a.type_error_rate, b.type_error_rate) << a.feature;
      EXPECT_DOUBLE_EQ(a.out_of_range_rate, b.out_of_range_rate) << a.feature;
      EXPECT_DOUBLE_EQ(a.unseen_rate, b.unseen_rate) << a.feature;
      EXPECT_EQ(a.reasons, b.reasons) << a.feature;
    }
  }
  EXPECT_TRUE(AssessQuality(profile, Ptrs(window), {}).incident);  // the window is broken: a real comparison
}

}  // namespace
}  // namespace driftgate::evaluate
