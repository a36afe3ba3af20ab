#include "codec/webhook_payload.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace driftgate::codec {
namespace {

using domain::WebhookFormat;
using nlohmann::json;

constexpr std::array<std::string_view, 6> kPlaceholders = {"model",  "retrain_id",   "decision_id",
                                                           "reason", "requested_at", "kpis"};

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Calls `on_placeholder(name)` for each `{{ name }}` in `text` and `on_text(piece)` for the rest.
template <typename OnText, typename OnPlaceholder>
void ScanPlaceholders(std::string_view text, OnText on_text, OnPlaceholder on_placeholder) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    const std::size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      on_text(text.substr(pos));
      return;
    }
    on_text(text.substr(pos, open - pos));
    on_placeholder(Trim(text.substr(open + 2, close - open - 2)));
    pos = close + 2;
  }
}

// The decision as the pipeline sees it (conf, client_payload, the argo body).
json Decision(const RetrainRequest& r) {
  json out{{"model", r.model},
           {"retrain_id", r.retrain_id},
           {"decision_id", r.decision_id},
           {"reason", r.reason},
           {"kpis", r.kpis},
           {"requested_at", r.requested_at}};
  for (auto it = r.extra.begin(); r.extra.is_object() && it != r.extra.end(); ++it)
    out[it.key()] = it.value();
  return out;
}

std::string PlaceholderText(const RetrainRequest& r, std::string_view name) {
  if (name == "model") return r.model;
  if (name == "retrain_id") return r.retrain_id;
  if (name == "decision_id") return r.decision_id;
  if (name == "reason") return r.reason;
  if (name == "requested_at") return r.requested_at;
  return r.kpis.dump();  // "kpis" inside a longer string: its JSON text
}

// Substitutes placeholders in every string value of the template tree (keys stay as written).
json Substitute(const json& node, const RetrainRequest& r) {
  if (node.is_object()) {
    json out = json::object();
    for (auto it = node.begin(); it != node.end(); ++it) out[it.key()] = Substitute(it.value(), r);
    return out;
  }
  if (node.is_array()) {
    json out = json::array();
    for (const auto& v : node) out.push_back(Substitute(v, r));
    return out;
  }
  if (!node.is_string()) return node;
  const std::string& text = node.get_ref<const std::string&>();
  std::string whole;
  int placeholders = 0;
  ScanPlaceholders(
      text, [&](std::string_view piece) { whole.append(piece); },
      [&](std::string_view name) {
        ++placeholders;
        whole.append(PlaceholderText(r, name));
      });
  // "{{kpis}}" alone keeps the KPIs typed: an object, not a string holding JSON.
  std::string_view trimmed = Trim(text);
  if (placeholders == 1 && trimmed.size() > 4 && trimmed.substr(0, 2) == "{{" &&
      trimmed.substr(trimmed.size() - 2) == "}}" && Trim(trimmed.substr(2, trimmed.size() - 4)) == "kpis") {
    return r.kpis;
  }
  return whole;
}

std::string TrimSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

bool IsTemplatePlaceholder(std::string_view name) {
  return std::find(kPlaceholders.begin(), kPlaceholders.end(), name) != kPlaceholders.end();
}

std::optional<std::string> UnknownPlaceholder(std::string_view text) {
  std::optional<std::string> unknown;
  ScanPlaceholders(
      text, [](std::string_view) {},
      [&](std::string_view name) {
        if (!unknown && !IsTemplatePlaceholder(name)) unknown = std::string(name);
      });
  return unknown;
}

RenderedDelivery RenderDelivery(const domain::WebhookSpec& spec, const RetrainRequest& r) {
  RenderedDelivery out{.url = spec.url, .body = {}, .headers = {}};
  switch (spec.format) {
    case WebhookFormat::kStandard: {
      json body = Decision(r);
      body["type"] = "retrain.requested";
      out.body = body.dump();
      break;
    }
    case WebhookFormat::kAirflow: {
      // dag_id is validated to Airflow's own key characters, none of which needs percent-encoding.
      out.url = TrimSlash(spec.url) + "/api/v1/dags/" + spec.dag_id + "/dagRuns";
      const json body{{"dag_run_id", "driftgate__" + r.retrain_id},
                      {"conf", Decision(r)},
                      {"note", "driftgate retrain of " + r.model + ": " + r.reason}};
      out.body = body.dump();
      out.headers.emplace_back("Accept", "application/json");
      break;
    }
    case WebhookFormat::kGithub: {
      const json body{{"event_type", spec.event_type}, {"client_payload", Decision(r)}};
      out.body = body.dump();
      out.headers.emplace_back("Accept", "application/vnd.github+json");
      out.headers.emplace_back("X-GitHub-Api-Version", "2022-11-28");
      break;
    }
    case WebhookFormat::kArgo: {
      json body = Decision(r);
      body["source"] = "driftgate";
      body["type"] = "retrain.requested";
      json breached = json::array();
      for (auto it = r.kpis.begin(); r.kpis.is_object() && it != r.kpis.end(); ++it) {
        const auto flag = it.value().find("confirmed_breach");
        if (flag != it.value().end() && *flag == true) breached.push_back(it.key());
      }
      body["kpis_breached"] = std::move(breached);
      out.body = body.dump();
      break;
    }
    case WebhookFormat::kTemplate: {
      const json tmpl = json::parse(spec.template_json.empty() ? "{}" : spec.template_json);
      out.body = Substitute(tmpl, r).dump();
      break;
    }
  }
  for (const auto& h : spec.headers) {
    std::erase_if(out.headers, [&](const auto& d) { return SameName(d.first, h.name); });
    out.headers.emplace_back(h.name, h.value);
    if (h.secret && spec.secrets_sealed) out.sealed_headers.push_back(h.name);
  }
  return out;
}

std::string HeadersToJson(const HeaderList& headers, const std::vector<std::string>& sealed_names) {
  json out = json::array();
  for (const auto& [name, value] : headers) {
    const bool sealed = std::find(sealed_names.begin(), sealed_names.end(), name) != sealed_names.end();
    out.push_back(json::array({name, sealed ? json{{"sealed", value}} : json(value)}));
  }
  return out.dump();
}

std::vector<StoredHeader> ParseStoredHeaders(std::string_view text) {
  std::vector<StoredHeader> out;
  if (text.empty()) return out;
  const json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return out;
  for (const auto& pair : parsed) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) continue;
    const std::string name = pair[0].get<std::string>();
    if (pair[1].is_string()) {
      out.push_back({.name = name, .value = pair[1].get<std::string>(), .sealed = false});
    } else if (pair[1].is_object() && pair[1].contains("sealed") && pair[1]["sealed"].is_string()) {
      out.push_back({.name = name, .value = pair[1]["sealed"].get<std::string>(), .sealed = true});
    }
  }
  return out;
}

}  // namespace driftgate::codec
