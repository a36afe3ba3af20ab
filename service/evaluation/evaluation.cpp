#include "service/evaluation/evaluation.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "codec/decision_codec.h"
#include "codec/state_codec.h"
#include "codec/webhook_config.h"
#include "codec/webhook_payload.h"
#include "core/domain/time.h"
#include "db/evaluation_repo.h"
#include "db/grid_repo.h"
#include "db/input_quality_repo.h"
#include "db/outbox_repo.h"
#include "db/pool.h"
#include "db/retrains_repo.h"
#include "service/evaluation/segment_evaluation.h"
#include "service/evaluation/segment_windows.h"
#include "service/evaluation/state_windows.h"
#include "service/retrains/carbon_deferral.h"
#include "service/retrains/closed_loop.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

}  // namespace

std::string InsertRetrainDecision(pqxx::transaction_base& tx, const domain::Model& model, db::NewDecision d) {
  // Wall time; nullopt: the policy has no deferral window (or no forecast covers it). Planned first, so
  // that the retrain, its outbox row and its decision are each inserted once with their final values.
  const std::optional<CarbonDeferral> deferral = PlanCarbonDeferral(tx, model.config.policy);
  if (deferral) d.deferral_json = deferral->doc_json;
  const auto retrain = db::InsertRetrain(tx, model.id, d.reason, d.kpis_json, d.at_us, d.deferral_json);
  d.id = retrain.decision_id;
  d.retrain_id = retrain.id;
  codec::RetrainRequest request{.model = model.config.name,
                                .retrain_id = retrain.id,
                                .decision_id = retrain.decision_id,
                                .reason = d.reason,
                                .kpis = json::parse(d.kpis_json),
                                .requested_at = domain::FormatRfc3339(d.at_us)};
  if (deferral) request.extra["deferral"] = json::parse(deferral->doc_json);
  // Rendered now for the webhook's format: the outbox row carries URL, body and extra headers.
  if (d.segment) request.extra["segment"] = *d.segment;
  const codec::RenderedDelivery delivery = codec::RenderDelivery(model.config.webhook, request);
  // A stored model's secrets are sealed (service/webhooks/webhook_secrets.h): the row gets the sealed values
  // as they are, with the key they are sealed under, and the dispatcher opens them per attempt.
  db::NewOutbox row{.id = "msg_" + retrain.id,
                    .retrain_id = retrain.id,
                    .url = delivery.url,
                    .secret = model.config.webhook.secret,
                    .secrets_key_id = webhook::SecretBox::KeyIdOf(model.config.webhook.secret),
                    .body = delivery.body};
  if (model.config.webhook.format != domain::WebhookFormat::kStandard || !delivery.headers.empty()) {
    row.headers_json = codec::HeadersToJson(delivery.headers, delivery.sealed_headers);
    row.format = std::string(codec::WebhookFormatName(model.config.webhook.format));
  }
  if (deferral && deferral->scheduled_us != deferral->requested_us) row.due_at_us = deferral->scheduled_us;
  db::InsertOutbox(tx, model.id, row);
  spdlog::info("retrain requested: model={} retrain_id={} reason=\"{}\"", model.config.name, retrain.id,
               d.reason);
  db::InsertDecision(tx, model.id, d);
  return retrain.id;
}

namespace {

StateKey KeyOf(const domain::Model& model, const db::StateStamp& s) {
  return StateKey{.version = s.version,
                  .xmin = s.xmin,
                  .generation = model.generation,
                  .config_updated_us = model.updated_at_us};
}

// The model's evaluation state: the cached one when its stamp is current, else the stored one decoded,
// else a fresh one.
Result<evaluate::State> LoadStateFor(pqxx::transaction_base& tx, const domain::Model& model,
                                     StateCache* cache) {
  const auto stamp = cache ? db::LoadStateStamp(tx, model.id) : std::nullopt;
  std::optional<evaluate::State> cached = stamp ? cache->Take(model.id, KeyOf(model, *stamp)) : std::nullopt;
  if (cached) return std::move(*cached);
  if (auto stored = (!cache || stamp) ? db::LoadState(tx, model.id) : std::nullopt) {
    auto chunks = LoadSegmentWindows(tx, model.id);
    if (!chunks.ok()) return chunks.error();
    return codec::DecodeState(*stored, model.config, WindowsFromChunks(*chunks));
  }
  return evaluate::FreshState(model.config);
}

}  // namespace

Result<EvaluationResult> EvaluateLocked(pqxx::transaction_base& tx, const domain::Model& model,
                                        std::span<const evaluate::LabeledEvent> events, StateCache* cache,
                                        const NotifyContext* notify) {
  EvaluationResult result;
  if (events.empty()) return result;

  auto loaded = LoadStateFor(tx, model, cache);
  if (!loaded.ok()) return loaded.error();
  evaluate::State state = std::move(loaded).value();
  const bool had_segments = !state.segments.empty();

  std::int64_t now_us = 0;
  for (const auto& e : events) now_us = std::max(now_us, e.ts_us);
  evaluate::PolicyFacts facts = db::LoadPolicyFacts(tx, model.id, now_us);
  // The data-quality veto names the input faults of the window's pairs by the model's feature dictionary;
  // read only when some pair has a fault (core/evaluate/input_veto.h).
  auto has_fault = [](const kpi::Pair& p) { return !p.input_faults.empty(); };
  auto segment_has_fault = [&](const auto& s) {
    return std::any_of(s.second.window.begin(), s.second.window.end(), has_fault);
  };
  if (std::any_of(state.window.begin(), state.window.end(), has_fault) ||
      std::any_of(events.begin(), events.end(), [&](const auto& e) { return has_fault(e.pair); }) ||
      std::any_of(state.segments.begin(), state.segments.end(), segment_has_fault)) {
    facts.input_features = db::LoadFeatureDictionary(tx, model.id);
  }
  const std::size_t window_before = state.window.size();
  const evaluate::Outcome out = evaluate::Evaluate(model.config, state, events, facts);
  const evaluate::SegmentsOutcome segments =
      evaluate::EvaluateSegments(model.config, state, events, facts, out);

  const codec::DecisionContent content = codec::DescribeOutcome(out);
  const json& kpis = content.kpis;
  const std::string kpis_text = kpis.dump();
  db::InsertMetric(tx, model.id, out.at_us, model.generation, static_cast<int>(out.n), kpis_text);
  for (std::size_t i = 0; i < out.alarms.size(); ++i) {
    const auto& a = out.alarms[i];
    if (a.signal == detect::Signal::kDrift) {
      db::InsertDriftEvent(tx, model.id, a.at_us, "detector", content.detectors[i].dump());
    }
  }
  // The closed-loop check: this generation's first full window judges the retrain that started it.
  if (model.generation > 1 && window_before < model.config.evaluation.window &&
      out.n == model.config.evaluation.window) {
    RecordRetrainOutcome(tx, model, out, kpis_text);
  }

  result.action = out.action;
  result.kpis = out.kpis;
  if (out.decision_due) {
    db::NewDecision d{.at_us = out.at_us,
                      .action = content.action,
                      .reason = content.reason,
                      .reason_code = content.reason_code,
                      .kpis_json = kpis_text,
                      .detectors_json = content.detectors.dump()};
    if (out.action == evaluate::Action::kRetrain) {
      InsertRetrainDecision(tx, model, d);
      result.retrain_requested = true;
    } else {
      db::InsertDecision(tx, model.id, d);
    }
    result.decision_written = true;
  }
  if (notify) UpdateAlerts(tx, model, out, *notify);
  const SegmentsWritten by_segment = RecordSegments(tx, model, segments, out.at_us);
  result.decision_written = result.decision_written || by_segment.decision_written;
  result.retrain_requested = result.retrain_requested || by_segment.retrain_requested;
  result.segments = segments.results;
  SaveSegmentWindows(tx, model.id, state, had_segments);
  const db::StateStamp saved = db::SaveState(tx, model.id, codec::EncodeState(state));
  if (cache) cache->Put(model.id, KeyOf(model, saved), std::move(state));
  return result;
}

}  // namespace driftgate::service
