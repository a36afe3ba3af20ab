#include "service/drift_window.h"

#include <nlohmann/json.hpp>

namespace driftgate::service {

WindowRow ParseWindowRow(const db::DriftRow& row) {
  WindowRow w{.seq = row.seq, .ts_us = row.ts_us, .pred_class = row.pred_class, .pred_value = row.pred_value,
              .score = row.score};
  const nlohmann::json f = nlohmann::json::parse(row.features_json, nullptr, false);
  if (f.is_object()) {
    w.features.reserve(f.size());
    for (auto it = f.begin(); it != f.end(); ++it) {
      if (it.value().is_number()) {
        w.features.emplace_back(it.key(), it.value().get<double>());
      } else if (it.value().is_string()) {
        w.features.emplace_back(it.key(), it.value().get<std::string>());
      } else if (it.value().is_null()) {
        w.features.emplace_back(it.key(), std::monostate{});
      }
    }
  }
  return w;
}

void DriftWindows::With(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t baseline_seq,
                        std::size_t window, const std::function<void(const std::deque<WindowRow>&)>& use) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model_id);
  if (it != entries_.end() && (it->second.baseline_seq != baseline_seq || it->second.window != window)) {
    cached_rows_ -= it->second.rows.size();
    entries_.erase(it);
    lru_.remove(model_id);
    it = entries_.end();
  }
  if (it == entries_.end()) it = entries_.emplace(model_id, Entry{.baseline_seq = baseline_seq, .window = window}).first;
  lru_.remove(model_id);
  lru_.push_front(model_id);

  Entry& e = it->second;
  const std::int64_t after = e.rows.empty() ? baseline_seq : std::max(baseline_seq, e.rows.front().seq);
  const auto fresh = db::LoadRecentRows(tx, model_id, after, window);  // newest first
  rows_read_ += fresh.size();
  cached_rows_ -= e.rows.size();
  for (auto r = fresh.rbegin(); r != fresh.rend(); ++r) e.rows.push_front(ParseWindowRow(*r));
  while (e.rows.size() > window) e.rows.pop_back();
  cached_rows_ += e.rows.size();

  use(e.rows);
  if (e.rows.size() > max_rows_) {  // too big to keep: read in full next time
    cached_rows_ -= e.rows.size();
    lru_.remove(model_id);
    entries_.erase(it);
  }
  Evict();
}

void DriftWindows::Evict() {
  while (cached_rows_ > max_rows_ && !lru_.empty()) {
    auto it = entries_.find(lru_.back());
    cached_rows_ -= it->second.rows.size();
    entries_.erase(it);
    lru_.pop_back();
  }
}

std::size_t DriftWindows::rows_read() const {
  std::lock_guard lock(mu_);
  return rows_read_;
}

}  // namespace driftgate::service
