// libFuzzer target: the inputs of `driftgate replay` — the detector spec (detect::ParseSpec, then
// detect::Make) and the one-number-per-line stream (detect::ParseNumberLines), then the replay itself.
//
// The whole input is given to both parsers. It is also split at its first newline into a spec and a
// stream, as the CLI receives them; when both parse and the detector can be built, the stream (at most
// kMaxReplay values) is replayed, and a Save()/Restore() at the midpoint must continue bit-identically
// (the service stores detector state between label batches exactly that way).
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/detect/detector.h"
#include "core/detect/replay.h"

namespace {

using driftgate::detect::Detector;
using driftgate::detect::Snapshot;
using driftgate::detect::Spec;

#define FUZZ_CHECK(cond)                                                                              \
  do {                                                                                                \
    if (!(cond)) {                                                                                    \
      std::fprintf(stderr, "replay_fuzz: invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                                   \
    }                                                                                                 \
  } while (0)

// Keeps one input's work bounded: a detector update can cost O(window) (kswin).
constexpr std::size_t kMaxReplay = 1024;

bool Trimmed(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  return !s.empty() && !blank(s.front()) && !blank(s.back());
}

std::size_t Lines(std::string_view text) {
  std::size_t n = 1;
  for (char c : text) n += c == '\n';
  return n;
}

driftgate::Result<std::vector<double>> Numbers(std::string_view text) {
  auto r = driftgate::detect::ParseNumberLines(text);
  if (!r.ok()) {
    FUZZ_CHECK(r.error().code == driftgate::ErrorCode::kInvalidArgument);
    FUZZ_CHECK(!r.error().message.empty());
    FUZZ_CHECK(r.error().message.find("line ") != std::string::npos);  // names the line
    return r;
  }
  FUZZ_CHECK(r->size() <= Lines(text));
  for (double v : *r) FUZZ_CHECK(std::isfinite(v));
  return r;
}

driftgate::Result<Spec> ParseSpec(std::string_view text) {
  auto r = driftgate::detect::ParseSpec(text);
  if (!r.ok()) {
    FUZZ_CHECK(r.error().code == driftgate::ErrorCode::kInvalidArgument);
    FUZZ_CHECK(!r.error().message.empty());
    return r;
  }
  FUZZ_CHECK(Trimmed(r->type));
  FUZZ_CHECK(r->type.find(':') == std::string::npos);
  for (const auto& [key, value] : r->params) {
    FUZZ_CHECK(Trimmed(key));
    FUZZ_CHECK(key.find(',') == std::string::npos && key.find('=') == std::string::npos);
    if (const auto* d = std::get_if<double>(&value)) FUZZ_CHECK(std::isfinite(*d));
    if (const auto* s = std::get_if<std::string>(&value)) FUZZ_CHECK(Trimmed(*s));
  }
  return r;
}

bool SameSnapshot(const Snapshot& a, const Snapshot& b) {
  if (a.fields.size() != b.fields.size()) return false;
  for (const auto& [name, values] : a.fields) {
    const auto it = b.fields.find(name);
    if (it == b.fields.end() || it->second.size() != values.size()) return false;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (std::bit_cast<std::uint64_t>(values[i]) != std::bit_cast<std::uint64_t>(it->second[i]))
        return false;
    }
  }
  return true;
}

bool HasNonFinite(const Snapshot& s) {
  for (const auto& [name, values] : s.fields) {
    for (double v : values) {
      if (!std::isfinite(v)) return true;
    }
  }
  return false;
}

void CheckIndices(const std::vector<std::size_t>& indices, std::size_t n) {
  for (std::size_t i = 0; i < indices.size(); ++i) {
    FUZZ_CHECK(indices[i] < n);
    if (i > 0) FUZZ_CHECK(indices[i - 1] < indices[i]);
  }
}

void ReplayAndRestore(const Spec& spec, std::span<const double> values) {
  auto made = driftgate::detect::Make(spec);
  if (!made.ok()) {
    FUZZ_CHECK(made.error().code == driftgate::ErrorCode::kInvalidArgument);
    FUZZ_CHECK(!made.error().message.empty());
    return;
  }
  Detector& whole = **made;
  values = values.first(std::min(values.size(), kMaxReplay));
  const auto result = driftgate::detect::Replay(whole, values);
  FUZZ_CHECK(result.n == values.size());
  CheckIndices(result.drifts, result.n);
  CheckIndices(result.warnings, result.n);

  // First half on one detector, snapshot into a fresh one, second half on both: identical signals.
  auto first = driftgate::detect::Make(spec);
  auto second = driftgate::detect::Make(spec);
  FUZZ_CHECK(first.ok() && second.ok());
  FUZZ_CHECK(!(*second)->Restore(Snapshot{}).ok());  // not a snapshot this detector wrote
  const std::size_t half = values.size() / 2;
  (void)driftgate::detect::Replay(**first, values.first(half));
  const Snapshot snapshot = (*first)->Save();
  const auto restored = (*second)->Restore(snapshot);
  if (!restored.ok()) {
    // Known limitation (reported, not fixed here): values beyond ~1e154 overflow a detector's sums or
    // squares to inf/NaN, and Restore() refuses such a snapshot. A refusal of a finite one is a finding.
    if (!HasNonFinite(snapshot))
      std::fprintf(stderr, "replay_fuzz: Restore: %s\n", restored.error().message.c_str());
    FUZZ_CHECK(HasNonFinite(snapshot));
    return;
  }
  for (std::size_t i = half; i < values.size(); ++i) {
    FUZZ_CHECK((*first)->Update(values[i]) == (*second)->Update(values[i]));
    FUZZ_CHECK((*first)->WarningDetected() == (*second)->WarningDetected());
  }
  FUZZ_CHECK(SameSnapshot((*first)->Save(), (*second)->Save()));
  FUZZ_CHECK(SameSnapshot((*first)->Save(), whole.Save()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)Numbers(text);
  (void)ParseSpec(text);

  const std::size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return 0;
  auto spec = ParseSpec(text.substr(0, newline));
  if (!spec.ok()) return 0;
  auto values = Numbers(text.substr(newline + 1));
  if (!values.ok()) return 0;
  ReplayAndRestore(*spec, *values);
  return 0;
}
