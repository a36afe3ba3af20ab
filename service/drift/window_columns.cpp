#include "service/drift/window_columns.h"

#include <algorithm>

namespace driftgate::service {

WindowColumns::Column& WindowColumns::At(std::size_t position, const std::string& name) {
  if (position >= by_position_.size()) by_position_.resize(position + 1, {nullptr, nullptr});
  auto& slot = by_position_[position];
  if (slot.first == nullptr || *slot.first != name) {
    auto it = columns_.try_emplace(name).first;
    slot = {&it->first, &it->second};
  }
  return *slot.second;
}

void WindowColumns::Put(Column& c, const domain::FeatureValue& value, bool add) {
  if (const auto* d = std::get_if<double>(&value)) {
    (add ? c.entering : c.leaving).push_back(*d);
  } else if (const auto* label = std::get_if<std::string>(&value)) {
    if (add) {
      auto it = c.labels.find(*label);
      if (it == c.labels.end()) it = c.labels.emplace(*label, 0).first;
      ++it->second;
      ++c.label_count;
    } else if (auto it = c.labels.find(*label); it != c.labels.end()) {
      if (--it->second == 0) c.labels.erase(it);
      --c.label_count;
    }
  }
}

void WindowColumns::Apply(const WindowRow& row, bool add) {
  for (std::size_t i = 0; i < row.features.size(); ++i) {
    const auto& [name, value] = row.features[i];
    Put(At(i, name), value, add);
  }
  // The prediction: a class is a string, a regression's value a number (a row has one or the other).
  if (row.pred_class || row.pred_value) {
    Column& prediction = columns_["prediction"];
    if (row.pred_class) Put(prediction, *row.pred_class, add);
    if (row.pred_value) Put(prediction, *row.pred_value, add);
  }
  if (row.score) Put(columns_["score"], *row.score, add);
}

// One pass per column: the sorted entering values merged in (std::merge's order: on ties the kept value
// first) while the sorted leaving ones are taken out as a multiset difference (a row may enter and leave
// at once).
void WindowColumns::Settle() {
  for (auto& [name, c] : columns_) {
    if (c.entering.empty() && c.leaving.empty()) continue;
    std::sort(c.entering.begin(), c.entering.end());
    std::sort(c.leaving.begin(), c.leaving.end());
    std::vector<double> merged;
    merged.reserve(c.numbers.size() + c.entering.size());
    auto leave = c.leaving.begin();
    const auto keep = [&](double v) {
      while (leave != c.leaving.end() && *leave < v) ++leave;
      if (leave != c.leaving.end() && *leave == v) {
        ++leave;
        return;
      }
      merged.push_back(v);
    };
    auto kept = c.numbers.begin();
    auto enter = c.entering.begin();
    while (kept != c.numbers.end() && enter != c.entering.end()) keep(*enter < *kept ? *enter++ : *kept++);
    while (kept != c.numbers.end()) keep(*kept++);
    while (enter != c.entering.end()) keep(*enter++);
    c.numbers = std::move(merged);
    c.entering.clear();
    c.leaving.clear();
  }
}

std::vector<std::string> WindowColumns::Labels(const Column& c) {
  std::vector<std::string> out;
  out.reserve(c.label_count);
  for (const auto& [label, count] : c.labels) out.insert(out.end(), count, label);
  return out;
}

std::vector<std::pair<std::string, std::size_t>> WindowColumns::LabelCounts(const Column& c) {
  return {c.labels.begin(), c.labels.end()};
}

}  // namespace driftgate::service
