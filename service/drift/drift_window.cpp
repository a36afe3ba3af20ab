#include "service/drift/drift_window.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string_view>

#include "db/pool.h"

namespace driftgate::service {

namespace {

// The members of a flat JSON object — what PostgreSQL prints for a stored features object — read without
// building a DOM (nlohmann's parse was the largest share of a drift check's CPU time): numbers, strings and
// nulls kept, true/false left out as ParseWindowRow does. False on anything else — a nested value, a \u
// escape, text that is not a flat object — and the caller parses with nlohmann instead.
class FlatObjectReader {
 public:
  explicit FlatObjectReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool Read(std::vector<std::pair<std::string, domain::FeatureValue>>& out) {
    SkipSpace();
    if (!Consume('{')) return false;
    SkipSpace();
    if (Consume('}')) return AtEnd();
    std::string name;
    for (;;) {
      SkipSpace();
      if (p_ == end_ || *p_ != '"' || !String(name)) return false;
      SkipSpace();
      if (!Consume(':')) return false;
      SkipSpace();
      if (p_ == end_) return false;
      const char c = *p_;
      if (c == '"') {
        std::string value;
        if (!String(value)) return false;
        out.emplace_back(std::move(name), std::move(value));
      } else if (c == 'n') {
        if (!Word("null")) return false;
        out.emplace_back(std::move(name), std::monostate{});
      } else if (c == 't' || c == 'f') {
        if (!Word(c == 't' ? "true" : "false")) return false;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        double v = 0;
        auto [next, ec] = std::from_chars(p_, end_, v);
        if (ec != std::errc{}) return false;
        p_ = next;
        out.emplace_back(std::move(name), v);
      } else {
        return false;  // an object or array value
      }
      SkipSpace();
      if (Consume('}')) return AtEnd();
      if (!Consume(',')) return false;
    }
  }

 private:
  void SkipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool Consume(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool AtEnd() {
    SkipSpace();
    return p_ == end_;
  }
  bool Word(std::string_view w) {
    if (static_cast<std::size_t>(end_ - p_) < w.size() || std::string_view(p_, w.size()) != w) return false;
    p_ += w.size();
    return true;
  }
  // At the opening quote.
  bool String(std::string& out) {
    out.clear();
    ++p_;
    while (p_ != end_) {
      const char c = *p_++;
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (p_ == end_) return false;
      switch (*p_++) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        default:
          return false;  // \u: nlohmann decodes it
      }
    }
    return false;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

WindowRow ParseWindowRow(const db::DriftRow& row) {
  WindowRow w{.seq = row.seq,
              .ts_us = row.ts_us,
              .pred_class = row.pred_class,
              .pred_value = row.pred_value,
              .score = row.score,
              .class_scores = row.class_scores,
              .segment = row.segment};
  if (row.features) {  // decoded from a prediction block: no JSON
    w.features = *row.features;
    return w;
  }
  if (FlatObjectReader(row.features_json).Read(w.features)) return w;
  w.features.clear();
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
  WithColumns(tx, model_id, baseline_seq, window,
              [&](const std::deque<WindowRow>& rows, const WindowColumns&) { use(rows); });
}

void DriftWindows::WithColumns(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t baseline_seq,
                               std::size_t window, const ColumnsUse& use) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model_id);
  if (it != entries_.end() && (it->second.baseline_seq != baseline_seq || it->second.window != window)) {
    cached_rows_ -= it->second.rows.size();
    entries_.erase(it);
    lru_.remove(model_id);
    it = entries_.end();
  }
  if (it == entries_.end())
    it = entries_.emplace(model_id, Entry{.baseline_seq = baseline_seq, .window = window}).first;
  lru_.remove(model_id);
  lru_.push_front(model_id);

  Entry& e = it->second;
  if (!e.columns) e.columns = std::make_unique<WindowColumns>();
  const std::int64_t after = e.rows.empty() ? baseline_seq : std::max(baseline_seq, e.rows.front().seq);
  const auto fresh = db::LoadRecentRows(tx, model_id, after, window);  // newest first
  rows_read_ += fresh.size();
  cached_rows_ -= e.rows.size();
  for (auto r = fresh.rbegin(); r != fresh.rend(); ++r) {
    e.rows.push_front(ParseWindowRow(*r));
    e.columns->Add(e.rows.front());
  }
  while (e.rows.size() > window) {
    e.columns->Remove(e.rows.back());
    e.rows.pop_back();
  }
  e.columns->Settle();
  cached_rows_ += e.rows.size();

  use(e.rows, *e.columns);
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
