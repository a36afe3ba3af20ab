#include "service/observability/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace driftgate::service {
namespace {

const char* TypeName(MetricType t) {
  switch (t) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// HELP text escapes backslash and line feed only (the format's rule for docstrings).
std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// `name{key}` or `name{key,extra}`; no braces when both are empty.
void AppendSeriesName(std::string& out, std::string_view name, std::string_view key,
                      std::string_view extra = {}) {
  out += name;
  if (key.empty() && extra.empty()) return;
  out += '{';
  out += key;
  if (!key.empty() && !extra.empty()) out += ',';
  out += extra;
  out += '}';
}

void AppendLine(std::string& out, std::string_view name, std::string_view key, double value,
                std::string_view extra = {}) {
  AppendSeriesName(out, name, key, extra);
  out += ' ';
  out += FormatSampleValue(value);
  out += '\n';
}

}  // namespace

namespace {

void AppendEscapedLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  AppendEscapedLabelValue(out, value);
  return out;
}

std::string LabelKey(LabelPairs labels) {
  // One allocation on the hot path (RecordRequest): size the key first, append in place.
  std::size_t size = 0;
  for (const auto& [name, value] : labels) size += name.size() + value.size() + 4;
  std::string out;
  out.reserve(size);
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out += ',';
    out += name;
    out += "=\"";
    AppendEscapedLabelValue(out, value);
    out += '"';
  }
  return out;
}

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[64];
  // Whole numbers (counts) as integers while exact; others in the general form, as Go's strconv 'g'
  // writes them for Prometheus' own clients: 0.0005, 2.5, 1.7934912001e+09.
  if (std::abs(value) < 9007199254740992.0 && value == std::trunc(value)) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(value));
    return std::string(buf, end);
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general);
  return std::string(buf, end);
}

MetricFamily::Series::Series(std::size_t n)
    : buckets(n ? std::make_unique<std::atomic<std::uint64_t>[]>(n) : nullptr) {
  for (std::size_t i = 0; i < n; ++i) buckets[i].store(0, std::memory_order_relaxed);
}

MetricFamily::MetricFamily(std::string name, std::string help, MetricType type, std::vector<double> bounds)
    : name_(std::move(name)), help_(std::move(help)), type_(type), bounds_(std::move(bounds)) {
  for (std::size_t i = 1; i < bounds_.size(); ++i) {
    if (!(bounds_[i - 1] < bounds_[i])) throw std::invalid_argument(name_ + ": bucket bounds must increase");
  }
}

std::shared_mutex& MetricFamily::ReaderStripe() const {
  // Threads get stripes round-robin once, so the HTTP threads of one process spread over them.
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t stripe = next.fetch_add(1, std::memory_order_relaxed) % kStripes;
  return stripes_[stripe].mu;
}

void MetricFamily::LockAll() const {
  for (auto& s : stripes_) s.mu.lock();  // always in index order: no deadlock between writers
}

void MetricFamily::UnlockAll() const {
  for (auto it = stripes_.rbegin(); it != stripes_.rend(); ++it) it->mu.unlock();
}

template <class F>
void MetricFamily::Update(const std::string& key, F&& update) {
  {
    std::shared_lock lock(ReaderStripe());
    auto it = series_.find(key);
    if (it != series_.end()) {
      update(*it->second);
      return;
    }
  }
  LockAll();
  auto it = series_.find(key);
  if (it == series_.end()) {
    const std::size_t n = type_ == MetricType::kHistogram ? bounds_.size() + 1 : 0;
    it = series_.emplace(key, std::make_unique<Series>(n)).first;
  }
  update(*it->second);
  UnlockAll();
}

void MetricFamily::Inc(const std::string& key, double delta) {
  Update(key, [delta](Series& s) { s.value.fetch_add(delta, std::memory_order_relaxed); });
}

void MetricFamily::Set(const std::string& key, double value) {
  Update(key, [value](Series& s) { s.value.store(value, std::memory_order_relaxed); });
}

void MetricFamily::Observe(const std::string& key, double value) {
  // The first bound >= value: buckets are upper-inclusive (`le`). NaN lands in +Inf.
  std::size_t i = 0;
  while (i < bounds_.size() && !(value <= bounds_[i])) ++i;
  Update(key, [value, i](Series& s) {
    s.buckets[i].fetch_add(1, std::memory_order_relaxed);
    s.value.fetch_add(value, std::memory_order_relaxed);
  });
}

void MetricFamily::Touch(const std::string& key) {
  Update(key, [](Series&) {});
}

void MetricFamily::Remove(const std::string& key) {
  LockAll();
  series_.erase(key);
  UnlockAll();
}

void MetricFamily::RemoveIf(const std::function<bool(const std::string& key)>& predicate) {
  LockAll();
  std::erase_if(series_, [&](const auto& kv) { return predicate(kv.first); });
  UnlockAll();
}

std::optional<double> MetricFamily::Value(const std::string& key) const {
  std::shared_lock lock(ReaderStripe());
  auto it = series_.find(key);
  if (it == series_.end()) return std::nullopt;
  if (type_ != MetricType::kHistogram) return it->second->value.load(std::memory_order_relaxed);
  std::uint64_t count = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i)
    count += it->second->buckets[i].load(std::memory_order_relaxed);
  return static_cast<double>(count);
}

void MetricFamily::Render(std::string& out) const {
  out += "# HELP " + name_ + " " + EscapeHelp(help_) + "\n";
  out += "# TYPE " + name_ + " " + TypeName(type_) + "\n";
  std::shared_lock lock(ReaderStripe());
  // Series in label-key order, so that a scrape reads the same from one time to the next.
  std::vector<const std::pair<const std::string, std::unique_ptr<Series>>*> sorted;
  sorted.reserve(series_.size());
  for (const auto& kv : series_) sorted.push_back(&kv);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* kv : sorted) {
    const std::string& key = kv->first;
    const auto& s = kv->second;
    if (type_ != MetricType::kHistogram) {
      AppendLine(out, name_, key, s->value.load(std::memory_order_relaxed));
      continue;
    }
    // Cumulative buckets from one pass over the counts, so +Inf and _count agree within the scrape.
    const std::string bucket = name_ + "_bucket";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
      cumulative += s->buckets[i].load(std::memory_order_relaxed);
      const std::string le = i < bounds_.size() ? FormatSampleValue(bounds_[i]) : "+Inf";
      AppendLine(out, bucket, key, static_cast<double>(cumulative), "le=\"" + le + "\"");
    }
    AppendLine(out, name_ + "_sum", key, s->value.load(std::memory_order_relaxed));
    AppendLine(out, name_ + "_count", key, static_cast<double>(cumulative));
  }
}

MetricFamily& MetricsRegistry::Add(std::string name, std::string help, MetricType type,
                                   std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  for (const auto& f : families_) {
    if (f->name() == name) return *f;
  }
  families_.push_back(
      std::make_unique<MetricFamily>(std::move(name), std::move(help), type, std::move(bounds)));
  return *families_.back();
}

MetricFamily& MetricsRegistry::Counter(std::string name, std::string help) {
  return Add(std::move(name), std::move(help), MetricType::kCounter, {});
}

MetricFamily& MetricsRegistry::Gauge(std::string name, std::string help) {
  return Add(std::move(name), std::move(help), MetricType::kGauge, {});
}

MetricFamily& MetricsRegistry::Histogram(std::string name, std::string help, std::vector<double> bounds) {
  return Add(std::move(name), std::move(help), MetricType::kHistogram, std::move(bounds));
}

MetricFamily* MetricsRegistry::Find(std::string_view name) const {
  std::lock_guard lock(mu_);
  for (const auto& f : families_) {
    if (f->name() == name) return f.get();
  }
  return nullptr;
}

MetricsRegistry::CollectorId MetricsRegistry::AddCollector(std::function<void()> collect) {
  std::lock_guard lock(collect_mu_);
  const CollectorId id = next_collector_++;
  collectors_.emplace(id, std::move(collect));
  return id;
}

void MetricsRegistry::RemoveCollector(CollectorId id) {
  std::lock_guard lock(collect_mu_);
  collectors_.erase(id);
}

std::string MetricsRegistry::Render() {
  {
    std::lock_guard lock(collect_mu_);
    for (const auto& [id, collect] : collectors_) collect();
  }
  std::vector<const MetricFamily*> families;
  {
    std::lock_guard lock(mu_);
    for (const auto& f : families_) families.push_back(f.get());
  }
  std::string out;
  out.reserve(8192);
  for (const auto* f : families) f->Render(out);
  return out;
}

}  // namespace driftgate::service
