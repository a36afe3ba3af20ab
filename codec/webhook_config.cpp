#include "codec/webhook_config.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "codec/json_read.h"
#include "codec/model_config.h"
#include "codec/webhook_payload.h"
#include "core/secrets/webhook_secret.h"

namespace driftgate::codec {
namespace {

using domain::WebhookFormat;
using nlohmann::json;

constexpr std::size_t kMaxHeaders = 16;
constexpr std::size_t kMaxHeaderValue = 8192;
constexpr std::size_t kMaxTemplateBytes = 64 * 1024;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 9110 token characters.
bool IsToken(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

// Headers driftgate sets itself (the signature ones and the body's type) or that would change how the
// request is framed.
bool IsReservedHeader(std::string_view name) {
  const std::string n = Lower(name);
  for (const char* r :
       {"webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "content-length",
        "transfer-encoding", "host", "connection", "expect", "te", "trailer", "upgrade"}) {
    if (n == r) return true;
  }
  return false;
}

// A header value may hold visible characters, spaces and HTAB only (RFC 9110 section 5.5: field-vchar,
// SP, HTAB, obs-text). Refused: every C0 control but HTAB and DEL — CR/LF would split the header, and a
// receiver or proxy may treat VT, FF or NUL as line ends — and, in the UTF-8 text, the C1 controls
// (U+0080..U+009F, NEL U+0085 among them) and the line/paragraph separators U+2028/U+2029, which
// Unicode-aware parsers and log viewers take for line breaks (Unicode UAX #14).
bool IsSafeValue(std::string_view v) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    const auto next = i + 1 < v.size() ? static_cast<unsigned char>(v[i + 1]) : 0u;
    if (c == 0xc2 && next >= 0x80 && next <= 0x9f) return false;  // U+0080..U+009F
    if (c == 0xe2 && next == 0x80 && i + 2 < v.size()) {
      const auto third = static_cast<unsigned char>(v[i + 2]);
      if (third == 0xa8 || third == 0xa9) return false;  // U+2028, U+2029
    }
  }
  return true;
}

std::optional<WebhookFormat> ParseFormat(std::string_view s) {
  if (s == "standard") return WebhookFormat::kStandard;
  if (s == "airflow") return WebhookFormat::kAirflow;
  if (s == "github") return WebhookFormat::kGithub;
  if (s == "argo") return WebhookFormat::kArgo;
  if (s == "template") return WebhookFormat::kTemplate;
  return std::nullopt;
}

// Every string value of the template may use only the known placeholders; keys are taken literally.
std::optional<Error> CheckTemplate(const json& node, const std::string& at) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (auto e = CheckTemplate(it.value(), at + "." + it.key())) return e;
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      if (auto e = CheckTemplate(node[i], at + "[" + std::to_string(i) + "]")) return e;
    }
  } else if (node.is_string()) {
    if (auto unknown = UnknownPlaceholder(node.get_ref<const std::string&>())) {
      return Invalid(at, "unknown placeholder {{" + *unknown +
                             "}}; use model, retrain_id, decision_id, reason, requested_at or kpis");
    }
  }
  return std::nullopt;
}

std::optional<Error> ParseHeaders(const json& hs, domain::WebhookSpec& spec) {
  if (!hs.is_object())
    return Invalid("webhook.headers", "must be an object name -> {\"value\"} or {\"secret\"}");
  if (hs.size() > kMaxHeaders) return Invalid("webhook.headers", "at most 16 headers");
  for (auto it = hs.begin(); it != hs.end(); ++it) {
    const std::string at = "webhook.headers." + it.key();
    if (!IsToken(it.key())) return Invalid(at, "a header name must be 1-128 token characters");
    if (IsReservedHeader(it.key())) return Invalid(at, "is set by driftgate and cannot be overridden");
    for (const auto& earlier : spec.headers) {
      if (Lower(earlier.name) == Lower(it.key())) return Invalid(at, "duplicate header name");
    }
    const json& h = it.value();
    if (!h.is_object() || h.size() != 1) {
      return Invalid(at, "must be {\"value\": \"...\"} or {\"secret\": \"...\"}");
    }
    domain::WebhookHeader header{.name = it.key()};
    if (h.contains("value") || h.contains("secret")) {
      const bool secret = h.contains("secret");
      const std::string field = at + (secret ? ".secret" : ".value");
      const json& v = secret ? h["secret"] : h["value"];
      if (!v.is_string()) return Invalid(field, "must be a string");
      header.value = v.get<std::string>();
      header.secret = secret;
      if (header.value.empty() && secret) return Invalid(field, "must be non-empty");
      if (header.value.size() > kMaxHeaderValue) return Invalid(field, "at most 8192 characters");
      if (!IsSafeValue(header.value)) {
        return Invalid(field, "must not contain control characters (HTAB is allowed) or U+2028/U+2029");
      }
    } else if (h.contains("secret_set") && h["secret_set"] == true) {
      header.secret = true;  // keep the stored value (ResolveHeaderSecrets)
    } else {
      return Invalid(at, "must be {\"value\": \"...\"} or {\"secret\": \"...\"}");
    }
    spec.headers.push_back(std::move(header));
  }
  return std::nullopt;
}

}  // namespace

std::string_view WebhookFormatName(WebhookFormat format) {
  switch (format) {
    case WebhookFormat::kAirflow:
      return "airflow";
    case WebhookFormat::kGithub:
      return "github";
    case WebhookFormat::kArgo:
      return "argo";
    case WebhookFormat::kTemplate:
      return "template";
    case WebhookFormat::kStandard:
      break;
  }
  return "standard";
}

std::string RedactWebhookUrl(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const auto authority_end = url.find_first_of("/?#\\", scheme_end + 3);
  return std::string(url.substr(0, authority_end));
}

void RedactModelUrls(json& model_doc) {
  auto redact = [](json& holder) {
    if (!holder.is_object() || !holder.contains("url") || !holder["url"].is_string()) return;
    holder["url"] = RedactWebhookUrl(holder["url"].get<std::string>());
    holder["url_redacted"] = true;
  };
  if (model_doc.contains("webhook")) redact(model_doc["webhook"]);
  if (model_doc.contains("notify") && model_doc["notify"].is_array()) {
    for (auto& target : model_doc["notify"]) redact(target);
  }
}

Result<domain::WebhookSpec> ParseWebhookSpec(const json& w) {
  if (!w.is_object()) return Invalid("webhook", "must be an object");
  if (auto e = UnknownFields(w, {"url", "secret", "format", "dag_id", "event_type", "template", "headers"},
                             "webhook")) {
    return *e;
  }
  domain::WebhookSpec spec;
  if (!w.contains("url") || !w["url"].is_string()) return Invalid("webhook.url", "is required (a string)");
  spec.url = w["url"].get<std::string>();
  if (!IsValidWebhookUrl(spec.url)) return Invalid("webhook.url", "must be an http:// or https:// URL");
  if (w.contains("secret")) {
    if (!w["secret"].is_string()) return Invalid("webhook.secret", "must be a string");
    spec.secret = w["secret"].get<std::string>();
    if (spec.secret.size() > 1024) return Invalid("webhook.secret", "at most 1024 characters");
    if (!secrets::KeyFromSecret(spec.secret)) {
      return Invalid("webhook.secret", "must be non-empty; a whsec_ secret must be base64 after the prefix");
    }
  }
  if (w.contains("format")) {
    const auto format = w["format"].is_string() ? ParseFormat(w["format"].get<std::string>()) : std::nullopt;
    if (!format) return Invalid("webhook.format", "must be standard, airflow, github, argo or template");
    spec.format = *format;
  }
  const auto only_for = [&](const char* key, WebhookFormat format) -> std::optional<Error> {
    if (w.contains(key) && spec.format != format) {
      return Invalid(std::string("webhook.") + key,
                     std::string("only applies to format ") + std::string(WebhookFormatName(format)));
    }
    return std::nullopt;
  };
  if (auto e = only_for("dag_id", WebhookFormat::kAirflow)) return *e;
  if (auto e = only_for("event_type", WebhookFormat::kGithub)) return *e;
  if (auto e = only_for("template", WebhookFormat::kTemplate)) return *e;

  if (spec.format == WebhookFormat::kAirflow) {
    // Airflow's KEY_REGEX for DAG ids: letters, digits, '.', '-', '_', at most 250.
    static const std::regex kDagId("^[A-Za-z0-9_.-]{1,250}$");
    if (!w.contains("dag_id") || !w["dag_id"].is_string())
      return Invalid("webhook.dag_id", "is required (a string)");
    spec.dag_id = w["dag_id"].get<std::string>();
    if (!std::regex_match(spec.dag_id, kDagId)) {
      return Invalid("webhook.dag_id", "must be 1-250 letters, digits, '.', '-' or '_' (an Airflow DAG id)");
    }
  } else if (spec.format == WebhookFormat::kGithub) {
    if (!w.contains("event_type") || !w["event_type"].is_string()) {
      return Invalid("webhook.event_type", "is required (a string)");
    }
    spec.event_type = w["event_type"].get<std::string>();
    if (spec.event_type.empty() || spec.event_type.size() > 100 || !IsSafeValue(spec.event_type)) {
      return Invalid("webhook.event_type",
                     "must be 1-100 characters without control characters (GitHub's limit)");
    }
    static const std::regex kDispatches("^https?://[^/?#]+(/[^?#]*)?/repos/[^/?#]+/[^/?#]+/dispatches$");
    if (!std::regex_match(spec.url, kDispatches)) {
      return Invalid("webhook.url", "for format github must be .../repos/{owner}/{repo}/dispatches");
    }
  } else if (spec.format == WebhookFormat::kTemplate) {
    if (!w.contains("template")) return Invalid("webhook.template", "is required (a JSON object)");
    const json& t = w["template"];
    if (!t.is_object() && !t.is_array()) return Invalid("webhook.template", "must be a JSON object or array");
    spec.template_json = t.dump();
    if (spec.template_json.size() > kMaxTemplateBytes) return Invalid("webhook.template", "at most 64 KiB");
    if (auto e = CheckTemplate(t, "webhook.template")) return *e;
  }
  if (w.contains("headers")) {
    if (auto e = ParseHeaders(w["headers"], spec)) return *e;
  }
  return spec;
}

json WebhookSpecToJson(const domain::WebhookSpec& spec) {
  json out{
      {"url", spec.url}, {"secret_set", !spec.secret.empty()}, {"format", WebhookFormatName(spec.format)}};
  if (spec.format == WebhookFormat::kAirflow) out["dag_id"] = spec.dag_id;
  if (spec.format == WebhookFormat::kGithub) out["event_type"] = spec.event_type;
  if (spec.format == WebhookFormat::kTemplate) out["template"] = json::parse(spec.template_json);
  if (!spec.headers.empty()) {
    json hs = json::object();
    for (const auto& h : spec.headers) {
      hs[h.name] = h.secret ? json{{"secret_set", true}} : json{{"value", h.value}};
    }
    out["headers"] = std::move(hs);
  }
  return out;
}

std::string HeaderSecretsJson(const domain::WebhookSpec& spec) {
  json out = json::object();
  for (const auto& h : spec.headers) {
    if (h.secret) out[h.name] = h.value;
  }
  return out.dump();
}

void FillHeaderSecrets(domain::WebhookSpec& spec, std::string_view header_secrets_json) {
  const json secrets = json::parse(header_secrets_json.empty() ? std::string_view("{}") : header_secrets_json,
                                   nullptr, /*allow_exceptions=*/false);
  if (!secrets.is_object()) return;
  for (auto& h : spec.headers) {
    const auto it = secrets.find(h.name);
    if (h.secret && it != secrets.end() && it->is_string()) h.value = it->get<std::string>();
  }
}

Status ResolveHeaderSecrets(domain::WebhookSpec& spec, const domain::WebhookSpec* previous) {
  for (auto& h : spec.headers) {
    if (!h.secret || !h.value.empty()) continue;
    if (previous) {
      for (const auto& old : previous->headers) {
        if (old.secret && Lower(old.name) == Lower(h.name)) h.value = old.value;
      }
    }
    if (h.value.empty()) {
      return Invalid("webhook.headers." + h.name + ".secret", "is required (no stored secret to keep)");
    }
  }
  return Ok{};
}

}  // namespace driftgate::codec
