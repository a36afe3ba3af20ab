#include "codec/state_codec.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace driftgate::codec {
namespace {

using nlohmann::json;

json EncodeDouble(double v) {
  if (std::isfinite(v)) return v;
  if (std::isnan(v)) return "nan";
  return v > 0 ? "inf" : "-inf";
}

double DecodeDouble(const json& v) {
  if (v.is_number()) return v.get<double>();
  const auto s = v.get<std::string>();
  if (s == "inf") return std::numeric_limits<double>::infinity();
  if (s == "-inf") return -std::numeric_limits<double>::infinity();
  return std::numeric_limits<double>::quiet_NaN();
}

std::optional<evaluate::Action> ParseAction(const std::string& s) {
  for (auto a : {evaluate::Action::kNone, evaluate::Action::kWarn, evaluate::Action::kRetrain,
                 evaluate::Action::kSuppressed}) {
    if (evaluate::ActionName(a) == s) return a;
  }
  return std::nullopt;
}

json EncodeWindow(const std::vector<kpi::Pair>& window) {
  json predicted = json::array(), actual = json::array(), pv = json::array(), av = json::array(),
       score = json::array(), input = json::array();
  for (const auto& p : window) {
    predicted.push_back(p.predicted);
    actual.push_back(p.actual);
    pv.push_back(EncodeDouble(p.predicted_value));
    av.push_back(EncodeDouble(p.actual_value));
    score.push_back(p.score ? json(*p.score) : json(nullptr));
    // The prediction's input quality: null not judged, else its fault codes ([] none).
    input.push_back(p.input_judged ? json(p.input_faults) : json(nullptr));
  }
  return {{"predicted", std::move(predicted)}, {"actual", std::move(actual)},
          {"predicted_value", std::move(pv)},  {"actual_value", std::move(av)},
          {"score", std::move(score)},         {"input", std::move(input)}};
}

std::vector<kpi::Pair> DecodeWindow(const json& w) {
  std::vector<kpi::Pair> window;
  const auto& predicted = w.at("predicted");
  const auto& actual = w.at("actual");
  const auto& pv = w.at("predicted_value");
  const auto& av = w.at("actual_value");
  const auto& score = w.at("score");
  // Absent in states written before input quality was judged: those pairs count as not judged.
  const json no_input = json::array();
  const json& input = w.contains("input") ? w.at("input") : no_input;
  window.reserve(predicted.size());
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    kpi::Pair p{.predicted = predicted[i].get<std::string>(),
                .actual = actual[i].get<std::string>(),
                .predicted_value = DecodeDouble(pv[i]),
                .actual_value = DecodeDouble(av[i])};
    if (!score[i].is_null()) p.score = score[i].get<double>();
    if (i < input.size() && input[i].is_array()) {
      p.input_judged = true;
      p.input_faults = input[i].get<std::vector<std::uint16_t>>();
    }
    window.push_back(std::move(p));
  }
  return window;
}

}  // namespace

std::string EncodeState(const evaluate::State& state) {
  json detectors = json::array();
  for (const auto& d : state.detectors) {
    json fields = json::object();
    for (const auto& [name, values] : d->Save().fields) {
      json arr = json::array();
      for (double v : values) arr.push_back(EncodeDouble(v));
      fields[name] = std::move(arr);
    }
    detectors.push_back(json{{"type", d->Name()}, {"fields", std::move(fields)}});
  }
  json out{{"fingerprint", state.fingerprint},
           {"last_action", evaluate::ActionName(state.last_action)},
           {"last_reason_code", state.last_reason_code},
           {"detectors", std::move(detectors)},
           {"window", EncodeWindow(state.window)}};
  if (!state.segments.empty()) {
    json segments = json::object();
    for (const auto& [name, w] : state.segments) {
      segments[name] = {{"fed", w.fed}, {"size", w.window.size()}, {"last_reason_code", w.last_reason_code}};
    }
    out["segments"] = std::move(segments);
  }
  return out.dump();
}

Result<evaluate::State> DecodeState(const std::string& json_text, const domain::ModelConfig& config,
                                    const WindowLoader& load_window) {
  auto fresh = evaluate::FreshState(config);
  if (!fresh.ok()) return fresh.error();
  evaluate::State state = std::move(fresh).value();
  try {
    const json doc = json::parse(json_text);
    state.last_reason_code = doc.at("last_reason_code").get<std::string>();
    state.last_action =
        ParseAction(doc.at("last_action").get<std::string>()).value_or(evaluate::Action::kNone);
    state.window = DecodeWindow(doc.at("window"));
    if (const auto it = doc.find("segments"); it != doc.end()) {
      for (auto s = it->begin(); s != it->end(); ++s) {
        evaluate::SegmentWindow& w = state.segments[s.key()];
        w.last_reason_code = s.value().at("last_reason_code").get<std::string>();
        if (s.value().contains("window")) {  // inline, as written before segment_windows
          w.window = DecodeWindow(s.value().at("window"));
          w.fed = w.window.size();
          w.stored = 0;
          continue;
        }
        const auto fed = s.value().at("fed").get<std::uint64_t>();
        const auto size = s.value().at("size").get<std::size_t>();
        w.window = load_window ? load_window(s.key(), fed, size) : std::vector<kpi::Pair>{};
        w.fed = fed;
        w.stored = fed;
      }
    }
    const std::string fingerprint = doc.at("fingerprint").get<std::string>();
    const json& detectors = doc.at("detectors");
    if (fingerprint == state.fingerprint && detectors.size() == state.detectors.size()) {
      for (std::size_t i = 0; i < detectors.size(); ++i) {
        detect::Snapshot snap;
        for (auto it = detectors[i].at("fields").begin(); it != detectors[i].at("fields").end(); ++it) {
          auto& values = snap.fields[it.key()];
          for (const auto& v : it.value()) values.push_back(DecodeDouble(v));
        }
        if (auto st = state.detectors[i]->Restore(snap); !st.ok()) {
          // A snapshot this build cannot read: that detector starts afresh rather than failing ingest.
          auto fresh_detector = detect::Make(config.detectors[i]);
          if (!fresh_detector.ok()) return fresh_detector.error();
          state.detectors[i] = std::move(fresh_detector).value();
        }
      }
    } else {
      // The detector or window config changed: keep the window, start the detectors afresh.
      state.fingerprint = fingerprint;
      if (auto st = evaluate::Reconcile(config, state); !st.ok()) return st.error();
    }
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternal, std::string("stored evaluation state is unreadable: ") + e.what(), {}};
  }
  return state;
}

}  // namespace driftgate::codec
