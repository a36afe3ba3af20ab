// Pure functions from API documents to what the page shows (no DOM, no fetch): unit-tested with
// `node --test` (ui/test/state.test.js).

// RFC 3339 → seconds since the epoch (float, microseconds kept). The server writes UTC with `Z`
// (and six fractional digits when needed); any offset is accepted. NaN when it is not RFC 3339.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseTime(text) {
  const m = typeof text === 'string' ? RFC3339.exec(text) : null;
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) / 1000 + (frac ? Number(`0${frac}`) : 0);
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    t -= sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  }
  return t;
}

// Axis labels for time ticks (UTC): `HH:MM`, with the date under the first tick of each day; dates
// only when the ticks are a day or more apart.
export function axisTimeLabels(splits) {
  const step = splits.length > 1 ? splits[1] - splits[0] : 0;
  let lastDay = '';
  return splits.map((s) => {
    const iso = new Date(Math.round(s * 1000)).toISOString();
    const day = iso.slice(0, 10);
    if (step >= 86400) return day;
    const label = day !== lastDay ? `${iso.slice(11, 16)}\n${day}` : iso.slice(11, 16);
    lastDay = day;
    return label;
  });
}

// Seconds → `2026-11-23 06:00:00Z` (UTC; the page never shows local time).
export function formatTime(seconds) {
  if (!Number.isFinite(seconds)) return '—';
  const iso = new Date(Math.round(seconds * 1000)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

export function formatNumber(v, digits = 4) {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return Number(v.toPrecision(digits)).toString();
}

// A KPI value with its interval: `0.71 [0.68, 0.74]`; null bounds are unbounded.
export function formatKpi(k) {
  if (!k) return '—';
  const lo = k.lower === null || k.lower === undefined ? '−∞' : formatNumber(k.lower);
  const hi = k.upper === null || k.upper === undefined ? '+∞' : formatNumber(k.upper);
  return `${formatNumber(k.value)} [${lo}, ${hi}]`;
}

export const OPEN_RETRAIN = new Set(['requested', 'running']);
export const STATES = ['ok', 'warn', 'retraining', 'suppressed'];

// A model's state from its decisions and retrains (both oldest first, as the API pages them):
//   retraining  a retrain is requested or running
//   suppressed  the latest decision is `suppressed` (a confirmed breach the policy held back)
//   warn        the latest decision is `warn`, or a `retrain` whose run failed
//   ok          otherwise: no decision yet, `none`, a `retrain` whose run succeeded, or any decision
//               made before a retrain succeeded (it judged the previous generation)
// `detail` says why, `at` is the data time of the decision (or the run) it comes from.
export function modelState(decisions, retrains) {
  const open = [...(retrains || [])].reverse().find((r) => OPEN_RETRAIN.has(r.status));
  if (open) {
    return { state: 'retraining', detail: `retrain ${open.status}: ${open.reason}`, at: open.requested_at };
  }
  const last = decisions && decisions.length ? decisions[decisions.length - 1] : null;
  if (!last) return { state: 'ok', detail: 'no decision yet', at: null };
  // A succeeded run starts a fresh baseline: decisions recorded before it (wall time on both sides)
  // are about the old model.
  const done = (retrains || []).filter((r) => r.status === 'succeeded').at(-1);
  if (done && last.recorded_at && parseTime(done.updated_at) > parseTime(last.recorded_at)) {
    return {
      state: 'ok',
      detail: `retrained${done.model_version ? ` (${done.model_version})` : ''}; no decision since`,
      at: done.requested_at,
    };
  }
  switch (last.action) {
    case 'suppressed':
      return { state: 'suppressed', detail: last.reason, at: last.at };
    case 'warn':
      return { state: 'warn', detail: last.reason, at: last.at };
    case 'retrain': {
      const run = (retrains || []).find((r) => r.id === last.retrain_id);
      if (run && run.status === 'failed') return { state: 'warn', detail: `retrain failed: ${last.reason}`, at: last.at };
      return { state: 'ok', detail: run ? `retrain ${run.status}` : last.reason, at: last.at };
    }
    default:
      return { state: 'ok', detail: last.reason, at: last.at };
  }
}

// The KPI names to offer for a model: its configured KPIs first, then any other seen in the metrics.
export function metricNames(model, metrics) {
  const names = (model?.kpis || []).map((k) => k.metric);
  for (const p of metrics || []) {
    for (const name of Object.keys(p.kpis || {})) if (!names.includes(name)) names.push(name);
  }
  return names;
}

// Columns for the chart of one KPI: x (seconds), value, lower, upper (null = unbounded), threshold.
// Points where the KPI is undefined (absent) are skipped.
export function kpiSeries(metrics, metric) {
  const out = { x: [], value: [], lower: [], upper: [], threshold: [], n: [], generation: [], bound: null };
  for (const p of metrics || []) {
    const k = p.kpis ? p.kpis[metric] : undefined;
    const t = parseTime(p.at);
    if (!k || typeof k.value !== 'number' || !Number.isFinite(t)) continue;
    out.x.push(t);
    out.value.push(k.value);
    out.lower.push(typeof k.lower === 'number' ? k.lower : null);
    out.upper.push(typeof k.upper === 'number' ? k.upper : null);
    out.threshold.push(typeof k.threshold === 'number' ? k.threshold : null);
    out.n.push(k.n ?? p.n ?? null);
    out.generation.push(p.generation ?? null);
    if (k.bound) out.bound = k.bound;
  }
  return out;
}

// The realized series with the label-free estimate (CBPE, GET .../metrics?kind=estimated) beside it, on
// the union of their times: `estimated`, `estLower`, `estUpper` columns are added. Where one series has no
// point at a time its cells are `undefined` (a gap the chart bridges) — unlike `null` bounds, which mean
// "unbounded". Without estimated points the series comes back unchanged (no estimate columns).
export function withEstimate(series, estimatedMetrics, metric) {
  const est = kpiSeries(estimatedMetrics, metric);
  if (est.x.length === 0) return series;
  const xs = [...new Set([...series.x, ...est.x])].sort((a, b) => a - b);
  const at = (s) => new Map(s.x.map((t, i) => [t, i]));
  const [real, guess] = [at(series), at(est)];
  const column = (map, values) => xs.map((t) => (map.has(t) ? values[map.get(t)] : undefined));
  return {
    ...series,
    x: xs,
    value: column(real, series.value),
    lower: column(real, series.lower),
    upper: column(real, series.upper),
    threshold: column(real, series.threshold),
    n: column(real, series.n),
    generation: column(real, series.generation),
    bound: series.bound ?? est.bound,
    estimated: column(guess, est.value),
    estLower: column(guess, est.lower),
    estUpper: column(guess, est.upper),
    estimatedPoints: est.x.length,
    realizedPoints: series.x.length,
  };
}

const UNIT_METRICS = new Set(['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'macro_f1', 'weighted_f1']);

// The y range that shows values, finite bounds and thresholds, padded; metrics living in [0, 1] stay
// inside it. Unbounded (null) interval ends are drawn to the edge of this range.
export function yRange(series, metric) {
  const vals = [...series.value, ...series.lower, ...series.upper, ...series.threshold,
    ...(series.estimated || []), ...(series.estLower || []), ...(series.estUpper || [])].filter(
    (v) => typeof v === 'number' && Number.isFinite(v),
  );
  if (!vals.length) return [0, 1];
  let lo = Math.min(...vals);
  let hi = Math.max(...vals);
  const pad = Math.max((hi - lo) * 0.06, Math.abs(hi) * 0.01, 0.01);
  lo -= pad;
  hi += pad;
  if (UNIT_METRICS.has(metric)) {
    lo = Math.max(lo, 0);
    hi = Math.min(hi, 1);
  } else if (['mae', 'rmse', 'mape', 'log_loss'].includes(metric)) {
    lo = Math.max(lo, 0);
  }
  return [lo, hi];
}

// The band as drawn: unbounded ends become the range's edges.
// `undefined` cells (no point at that time, see withEstimate) stay gaps.
export function bandForPlot(series, range) {
  const edge = (values, e) => (values || []).map((v) => (v === null ? e : v === undefined ? null : v));
  return {
    lower: edge(series.lower, range[0]),
    upper: edge(series.upper, range[1]),
    estLower: edge(series.estLower, range[0]),
    estUpper: edge(series.estUpper, range[1]),
  };
}

// Detector alarms, data-drift checks and multivariate alarms (PCA reconstruction error outside the
// reference's band) as chart markers, oldest first. A multivariate check without alarm adds no marker:
// its data check already has one.
export function driftMarkers(events) {
  const out = [];
  for (const e of events || []) {
    const t = parseTime(e.at);
    if (!Number.isFinite(t)) continue;
    if (e.kind === 'detector') {
      out.push({
        t,
        kind: 'alarm',
        signal: e.signal || 'drift',
        label: `${e.detector ?? 'detector'} ${e.signal ?? 'drift'}`,
        detail: e.window_kept !== undefined ? `window kept ${e.window_kept}` : '',
      });
    } else if (e.kind === 'data') {
      const drifted = !!(e.dataset && e.dataset.drift);
      const top = (e.features || []).filter((f) => f.drifted).slice(0, 3).map((f) => f.feature);
      out.push({
        t,
        kind: drifted ? 'data-drift' : 'data-check',
        label: drifted ? 'data drift' : 'data check',
        detail: e.dataset
          ? `${e.dataset.drifted ?? top.length} of ${e.dataset.columns ?? (e.features || []).length} columns drifted` +
            (top.length ? `: ${top.join(', ')}` : '')
          : '',
      });
    } else if (e.kind === 'multivariate' && e.alert) {
      const fmt = (v) => (Number.isFinite(v) ? v.toPrecision(3) : '?');
      out.push({
        t,
        kind: 'multivariate',
        label: 'multivariate drift',
        detail: `reconstruction error ${fmt(e.reconstruction_error)} outside [${fmt(e.lower)}, ${fmt(e.upper)}]` +
          (e.components !== undefined ? ` (${e.components} components)` : ''),
      });
    }
  }
  return out;
}

// The latest data-drift check (kind "data"), or null.
export function latestDataCheck(events) {
  for (let i = (events || []).length - 1; i >= 0; --i) if (events[i].kind === 'data') return events[i];
  return null;
}

// The check's columns, most drifted first as the server sorts them, at most `n`.
export function topFeatures(check, n = 10) {
  return check && Array.isArray(check.features) ? check.features.slice(0, n) : [];
}

// Retrains as spans in time: from `requested_at` (data time) to the end of the run. Open runs reach
// `end`. A finished run ends at `updated_at`, the wall time of its last status report, except that a
// succeeded run whose next generation already has metric points ends at the first of them: that is
// where, in data time, the new model took over (the two agree on live traffic; in a backfill only
// the data time means anything on this axis).
export function retrainSpans(retrains, metrics, end) {
  const points = (metrics || [])
    .map((p) => ({ t: parseTime(p.at), generation: p.generation }))
    .filter((p) => Number.isFinite(p.t));
  const spans = [];
  for (const r of retrains || []) {
    const start = parseTime(r.requested_at);
    if (!Number.isFinite(start)) continue;
    let stop = end;
    const open = OPEN_RETRAIN.has(r.status);
    if (!open) {
      stop = parseTime(r.updated_at);
      if (r.status === 'succeeded') {
        const before = points.filter((p) => p.t <= start).at(-1);
        const next = before ? points.find((p) => p.t > start && p.generation > before.generation) : undefined;
        if (next) stop = next.t;
      }
      if (!Number.isFinite(stop) || stop < start) stop = start;
    }
    spans.push({ start, end: Math.max(start, stop), status: r.status, id: r.id, reason: r.reason, open });
  }
  return spans;
}

// Decisions newest first, for the table.
export function decisionsNewestFirst(decisions) {
  return [...(decisions || [])].reverse();
}

// `KPI [lo, hi]` summaries of a decision's KPIs, breached ones marked.
export function kpiSummary(kpis) {
  return Object.entries(kpis || {}).map(([name, k]) => ({
    name,
    text: `${name} ${formatKpi(k)}`,
    breach: !!k.confirmed_breach,
  }));
}

// The sustainability ledger (GET /v1/models/{m}/sustainability or GET /v1/sustainability) as the rows the
// page shows: `kind` names the figure (`retrains.requested`, `energy_kwh.spent`, ...), `value` is the
// number or null (energy and CO2e are unknown without a retrain_cost), `text` its display.
export const LEDGER_FIGURES = [
  ['retrains', 'requested', 'retrains requested', ''],
  ['retrains', 'suppressed', 'breaches suppressed', ''],
  ['retrains', 'baseline', 'baseline schedule', ''],
  ['retrains', 'avoided', 'retrains avoided', ''],
  ['energy_kwh', 'spent', 'energy spent', 'kWh'],
  ['energy_kwh', 'avoided', 'energy avoided', 'kWh'],
  ['co2e_kg', 'spent', 'CO2e spent', 'kg'],
  ['co2e_kg', 'avoided', 'CO2e avoided', 'kg'],
];

export function ledgerRows(doc) {
  return LEDGER_FIGURES.map(([group, key, label, unit]) => {
    const raw = doc && doc[group] ? doc[group][key] : null;
    const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
    const text = value === null ? '—' : `${formatNumber(value, 6)}${unit ? ` ${unit}` : ''}`;
    return { kind: `${group}.${key}`, label, value, text };
  });
}

// One line for the fleet: `3 retrains requested, 41 avoided · 120 kWh, 48 kg CO2e spent; 1640 kWh, 656 kg avoided`.
export function ledgerSummary(doc) {
  if (!doc || !doc.retrains) return 'No ledger.';
  const r = doc.retrains;
  const parts = [`${r.requested} retrain${r.requested === 1 ? '' : 's'} requested, ${r.avoided} avoided vs. baseline ${r.baseline}`];
  const e = doc.energy_kwh || {};
  const c = doc.co2e_kg || {};
  if (typeof e.spent === 'number') {
    parts.push(`${formatNumber(e.spent, 6)} kWh, ${formatNumber(c.spent, 6)} kg CO2e spent; ` +
      `${formatNumber(e.avoided, 6)} kWh, ${formatNumber(c.avoided, 6)} kg avoided`);
  } else {
    parts.push('energy unknown (no model states a retrain_cost)');
  }
  return parts.join(' · ');
}
