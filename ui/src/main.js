// The ops page: a token form, the models with their state, and one model's KPI chart, drift, retrains
// and decisions. Everything the server sent is put into the page as text (textContent), never as HTML:
// feature names and reasons come from the monitored data. Style sheets are linked by index.html.
import { ApiError, createApi, mapLimit } from './api.js';
import { drawKpiChart } from './chart.js';
import { segmentOptions, segmentRows } from './segments.js';
import {
  decisionsNewestFirst,
  driftMarkers,
  formatNumber,
  formatTime,
  kpiSeries,
  kpiSummary,
  latestDataCheck,
  ledgerRows,
  ledgerSummary,
  metricNames,
  modelState,
  parseTime,
  retrainSpans,
  topFeatures,
  withEstimate,
} from './state.js';

const TOKEN_KEY = 'driftgate.token';
const $ = (id) => document.getElementById(id);

let api = null;
let chart = null;
let listSeq = 0;   // a newer load of the list (or of a model) wins over an older one
let modelSeq = 0;
const cache = new Map();  // model name → { decisions, retrains } from the list load
let shown = null;          // { name, model, metrics, drift, decisions, retrains } of the model on screen

// ---------------------------------------------------------------- small DOM helpers

function h(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'className') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const badge = (state) => h('span', { className: `badge state-${state}`, dataset: { state } }, state);
const actionBadge = (action) => h('span', { className: `badge action-${action}` }, action);
const timeText = (rfc3339) => (rfc3339 ? formatTime(parseTime(rfc3339)) : '—');

function setStatus(text, kind = '') {
  const s = $('status');
  s.textContent = text;
  s.className = `status ${kind}`;
}

// ---------------------------------------------------------------- token

function showLogin(message = '') {
  $('main').hidden = true;
  $('refresh').hidden = true;
  $('signout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('token').value = '';
  $('token').focus();
  setStatus('');
}

function forgetToken(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  api = null;
  cache.clear();
  shown = null;
  showLogin(message);
}

function handleError(e, where) {
  if (e instanceof ApiError && e.status === 401) {
    forgetToken('The server did not accept this token (401). Paste a valid token with the read scope.');
    return;
  }
  let text;
  if (e instanceof ApiError && e.status === 403) text = `${where}: this token may not read it (403: ${e.message})`;
  else if (e instanceof ApiError && e.status === 404) text = `${where}: not found (${e.message})`;
  else if (e instanceof ApiError) text = `${where}: ${e.status} ${e.message}`;
  else text = `${where}: ${e.message || e}`;
  setStatus(text, 'error');
}

// ---------------------------------------------------------------- models list

async function loadModels() {
  const seq = ++listSeq;
  setStatus('loading models…');
  let models;
  try {
    models = await api.models();
  } catch (e) {
    handleError(e, 'models');
    return;
  }
  const rows = await mapLimit(models, 4, async (m) => {
    try {
      const [d, r] = await Promise.all([api.decisions(m.name), api.retrains(m.name)]);
      cache.set(m.name, { decisions: d, retrains: r });
      return { model: m, ...modelState(d.items, r.items) };
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) throw e;
      return { model: m, state: 'unknown', detail: e.message, at: null };
    }
  }).catch((e) => {
    handleError(e, 'models');
    return null;
  });
  if (!rows || seq !== listSeq) return;
  const body = $('models').tBodies[0];
  body.replaceChildren(
    ...rows.map((r) =>
      h(
        'tr',
        { dataset: { model: r.model.name, state: r.state }, className: shown && shown.name === r.model.name ? 'selected' : '' },
        h(
          'td',
          { title: r.detail || '' },
          h('a', { href: `#/models/${encodeURIComponent(r.model.name)}` }, r.model.name),
          h('div', { className: 'why small' }, r.detail || ''),
          r.at ? h('div', { className: 'muted small' }, `since ${timeText(r.at)}`) : null,
        ),
        h('td', {}, badge(r.state)),
      ),
    ),
  );
  $('models-empty').hidden = rows.length > 0;
  await loadFleetLedger(seq);
  setStatus(`${rows.length} model${rows.length === 1 ? '' : 's'} · loaded ${formatTime(Date.now() / 1000)}`);
}

// ---------------------------------------------------------------- the sustainability ledger

// Rows `tr[data-kind]` of figure, value; a missing ledger (an older server) leaves the table empty.
function renderLedgerTable(table, doc) {
  table.tBodies[0].replaceChildren(
    ...(doc ? ledgerRows(doc) : []).map((r) =>
      h('tr', { dataset: { kind: r.kind } }, h('td', {}, r.label), h('td', { className: 'num' }, r.text)),
    ),
  );
}

async function loadFleetLedger(seq) {
  let doc = null;
  try {
    doc = await api.fleetSustainability();
  } catch {
    doc = null;  // shown as unavailable; a 401 is handled by the list's own requests
  }
  if (seq !== listSeq || !api) return;
  $('fleet-ledger').dataset.state = doc ? 'ready' : 'missing';
  $('fleet-ledger-summary').textContent = doc ? ledgerSummary(doc) : 'The ledger is not available.';
  renderLedgerTable($('fleet-ledger-table'), doc);
}

function renderLedger(doc) {
  const section = $('ledger');
  section.dataset.state = doc ? 'ready' : 'missing';
  renderLedgerTable($('ledger-table'), doc);
  if (!doc) {
    $('ledger-period').textContent = '';
    $('ledger-note').textContent = 'The ledger is not available.';
    return;
  }
  const p = doc.period || {};
  $('ledger-period').textContent = p.from ? `${timeText(p.from)} – ${timeText(p.to)} (data time)` : '';
  const cost = doc.retrain_cost;
  $('ledger-note').textContent = cost
    ? `versus a retrain every ${formatNumber(doc.baseline_schedule_days)} days; one retrain ≈ ` +
      `${cost.energy_kwh !== undefined ? `${formatNumber(cost.energy_kwh)} kWh` : 'GPU hours × watts × PUE'} at ` +
      `${formatNumber(cost.carbon_intensity_g_per_kwh)} g CO2e/kWh`
    : `versus a retrain every ${formatNumber(doc.baseline_schedule_days)} days; no retrain_cost: energy and CO2e unknown`;
}

// ---------------------------------------------------------------- one model

function route() {
  const m = /^#\/models\/([^/]+)(?:\/([^/]+))?$/.exec(location.hash);
  if (!m) return { name: null, metric: null };
  try {
    return { name: decodeURIComponent(m[1]), metric: m[2] ? decodeURIComponent(m[2]) : null };
  } catch {
    return { name: null, metric: null };
  }
}

async function showRoute() {
  const { name, metric } = route();
  for (const tr of $('models').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.model === name);
  $('model-panel').hidden = false;
  if (!name) {
    $('model-hint').hidden = false;
    $('model-body').hidden = true;
    return;
  }
  if (shown && shown.name === name) {
    renderModel(metric);
    return;
  }
  await loadModel(name, metric);
}

async function loadModel(name, metric) {
  const seq = ++modelSeq;
  const panel = $('model-panel');
  panel.dataset.state = 'loading';
  panel.setAttribute('aria-busy', 'true');
  setStatus(`loading ${name}…`);
  try {
    const cached = cache.get(name);
    const [model, metrics, estimated, drift, decisions, retrains, ledger, segments] = await Promise.all([
      api.model(name),
      api.metrics(name),
      api.estimatedMetrics(name).catch((e) => {
        if (e instanceof ApiError && e.status === 401) throw e;
        return { items: [], truncated: false };  // an older server without the estimated series
      }),
      api.drift(name),
      cached ? cached.decisions : api.decisions(name),
      cached ? cached.retrains : api.retrains(name),
      api.sustainability(name).catch((e) => {
        if (e instanceof ApiError && e.status === 401) throw e;
        return null;  // the rest of the page does not depend on it
      }),
      api.segments(name).catch((e) => {
        if (e instanceof ApiError && e.status === 401) throw e;
        return { segments: [] };  // an older server without segments
      }),
    ]);
    if (seq !== modelSeq) return;
    shown = { name, model, metrics, estimated, drift, decisions, retrains, ledger, segments, segment: '', segmentMetrics: null };
    renderModel(metric);
    setStatus(`${name} · loaded ${formatTime(Date.now() / 1000)}`);
  } catch (e) {
    if (seq !== modelSeq) return;
    panel.dataset.state = 'error';
    handleError(e, name);
  } finally {
    if (seq === modelSeq) panel.removeAttribute('aria-busy');
  }
}

function renderModel(metricWanted) {
  const { name, model, drift, decisions, retrains } = shown;
  // A selected segment's series replaces the whole stream's (no label-free estimate per segment).
  const metrics = shown.segment && shown.segmentMetrics ? shown.segmentMetrics : shown.metrics;
  const estimated = shown.segment ? { items: [], truncated: false } : shown.estimated;
  $('model-hint').hidden = true;
  $('model-body').hidden = false;
  $('model-name').textContent = name;
  const st = modelState(decisions.items, retrains.items);
  $('model-state').replaceWith(Object.assign(badge(st.state), { id: 'model-state' }));
  $('model-why').textContent = st.detail || '';
  const kpiText = (model.kpis || [])
    .map((k) => `${k.metric} ${k.min !== undefined ? `≥ ${k.min}` : `≤ ${k.max}`}`)
    .join(', ');
  $('model-meta').textContent = `${model.task} · generation ${model.generation} · ${kpiText}`;

  // KPI picker and chart
  const names = metricNames(model, metrics.items);
  const metric = names.includes(metricWanted) ? metricWanted : names[0];
  const select = $('metric');
  select.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
  if (metric) select.value = metric;

  if (chart) chart.destroy();
  chart = null;
  const container = $('chart');
  const series = withEstimate(kpiSeries(metrics.items, metric), estimated.items, metric);
  const markers = driftMarkers(drift.items);
  const end = Math.max(...series.x, ...markers.map((m) => m.t), -Infinity);
  const spans = retrainSpans(retrains.items, metrics.items, end);
  if (!metric || (series.x.length === 0 && markers.length === 0 && spans.length === 0)) {
    container.replaceChildren(h('p', { className: 'muted empty' }, 'No metric points yet: send predictions and labels.'));
    container.dataset.points = '0';
  } else {
    chart = drawKpiChart(container, { metric, series, markers, spans });
  }
  const notes = [];
  for (const [what, page] of [['metric points', metrics], ['drift events', drift], ['decisions', decisions]]) {
    if (page.truncated) notes.push(`only the first ${page.items.length} ${what} are shown`);
  }
  const estNote = series.estimatedPoints ? ` · ${series.estimatedPoints} label-free estimates (CBPE)` : '';
  notes.push(`${series.realizedPoints ?? series.x.length} points${estNote} · ${markers.filter((m) => m.kind === 'alarm').length} detector alarms · ` +
    `${markers.filter((m) => m.kind === 'data-check' || m.kind === 'data-drift').length} data checks · ` +
    `${markers.filter((m) => m.kind === 'multivariate').length} multivariate alarms · ${spans.length} retraining runs · drag to zoom, double-click to reset`);
  $('chart-note').textContent = notes.join(' · ');

  renderSegments(shown.segments, shown.segment);
  renderFeatures(latestDataCheck(drift.items));
  renderRetrains(retrains.items);
  renderDecisions(decisions.items);
  renderLedger(shown.ledger);
  $('model-panel').dataset.state = 'ready';
}

function renderFeatures(check) {
  const body = $('features').tBodies[0];
  if (!check) {
    $('check-at').textContent = '';
    $('check-verdict').textContent = 'No data-drift check yet.';
    body.replaceChildren();
    return;
  }
  $('check-at').textContent = `latest check ${timeText(check.at)}`;
  const ds = check.dataset || {};
  $('check-verdict').textContent = ds.drift
    ? `Dataset drift: ${ds.drifted} of ${ds.columns} columns drifted (share ${formatNumber(ds.share, 3)} ≥ ${formatNumber(ds.drift_share, 3)}).`
    : `No dataset drift: ${ds.drifted ?? 0} of ${ds.columns ?? 0} columns drifted.`;
  body.replaceChildren(
    ...topFeatures(check, 10).map((f) =>
      h(
        'tr',
        { className: f.drifted ? 'drifted' : '', dataset: { feature: f.feature } },
        h('td', { className: 'feature' }, f.feature),
        h('td', {}, f.test),
        h('td', { className: 'num' }, formatNumber(f.statistic)),
        h('td', { className: 'num' }, formatNumber(f.threshold)),
        h('td', { className: 'num' }, f.p_value === null || f.p_value === undefined ? '—' : formatNumber(f.p_value)),
        h('td', {}, f.drifted ? h('span', { className: 'badge state-warn' }, 'drift') : 'no'),
      ),
    ),
  );
}

function renderRetrains(items) {
  const body = $('retrains').tBodies[0];
  if (!items.length) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: '3', className: 'muted' }, 'No retraining runs.')));
    return;
  }
  body.replaceChildren(
    ...[...items].reverse().map((r) =>
      h(
        'tr',
        { dataset: { status: r.status }, title: r.reason },
        h('td', { className: 'nowrap' }, timeText(r.requested_at)),
        h(
          'td',
          {},
          h('span', { className: `badge run-${r.status}` }, r.status),
          r.model_version ? h('div', { className: 'muted small version' }, r.model_version) : null,
          r.deferral && r.deferral.scheduled_for !== r.deferral.requested_at
            ? h('div', { className: 'muted small deferral' },
              `webhook deferred to ${timeText(r.deferral.scheduled_for)} (${formatNumber(r.deferral.g_per_kwh_scheduled)} ` +
              `vs ${formatNumber(r.deferral.g_per_kwh_now)} g/kWh)`)
            : null,
        ),
        h('td', { className: 'nowrap' }, timeText(r.updated_at)),
      ),
    ),
  );
}

function renderSegments(doc, selected) {
  const select = $('segment');
  select.replaceChildren(...segmentOptions(doc).map((o) => h('option', { value: o.value }, o.label)));
  select.value = selected || '';
  const rows = segmentRows(doc);
  const body = $('segments').tBodies[0];
  if (!rows.length) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: '4', className: 'muted' }, 'No segmented labels yet.')));
    return;
  }
  body.replaceChildren(
    ...rows.map((r) =>
      h(
        'tr',
        { dataset: { segment: r.segment, state: r.state } },
        h('td', {}, r.segment),
        h('td', {}, h('span', { className: `badge state-${r.state === 'breach' ? 'suppressed' : r.state}` }, r.state)),
        h('td', { className: 'kpis' }, ...r.kpis.map((k) => h('div', { className: k.breach ? 'breach' : '' }, k.text))),
        h('td', { className: 'num' }, r.n === null ? '—' : String(r.n)),
      ),
    ),
  );
}

async function selectSegment(segment) {
  if (!shown) return;
  const current = shown;
  const metric = $('metric').value;
  current.segment = segment;
  current.segmentMetrics = null;
  if (segment) {
    try {
      current.segmentMetrics = await api.segmentMetrics(current.name, segment);
    } catch (e) {
      handleError(e, `${current.name} · ${segment}`);
      return;
    }
  }
  if (shown === current) renderModel(metric);
}

function renderDecisions(items) {
  const body = $('decisions').tBodies[0];
  if (!items.length) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: '5', className: 'muted' }, 'No decisions yet.')));
    return;
  }
  body.replaceChildren(
    ...decisionsNewestFirst(items).map((d) =>
      h(
        'tr',
        { dataset: { action: d.action, id: d.id } },
        h('td', { className: 'nowrap' }, timeText(d.at)),
        h('td', {}, actionBadge(d.action)),
        h('td', { className: 'reason' }, d.reason),
        h(
          'td',
          { className: 'kpis' },
          kpiSummary(d.kpis).map((k) => h('div', { className: k.breach ? 'breach' : '' }, k.text)),
        ),
        h('td', { className: 'mono', title: d.retrain_id || '' }, d.retrain_id ? d.retrain_id.slice(0, 8) : ''),
      ),
    ),
  );
}

// ---------------------------------------------------------------- wiring

async function open() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    showLogin();
    return;
  }
  api = createApi(token);
  $('login').hidden = true;
  $('main').hidden = false;
  $('refresh').hidden = false;
  $('signout').hidden = false;
  await loadModels();
  if (api) await showRoute();
}

$('login-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const token = $('token').value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  open();
});
$('signout').addEventListener('click', () => forgetToken('Token forgotten.'));
$('refresh').addEventListener('click', async () => {
  cache.clear();
  const current = shown ? shown.name : null;
  shown = null;
  await loadModels();
  if (api && current) await showRoute();
});
$('metric').addEventListener('change', (ev) => {
  if (shown) location.hash = `#/models/${encodeURIComponent(shown.name)}/${encodeURIComponent(ev.target.value)}`;
});
$('segment').addEventListener('change', (ev) => selectSegment(ev.target.value));
$('open-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const name = $('open-name').value.trim();
  if (name) location.hash = `#/models/${encodeURIComponent(name)}`;
});
window.addEventListener('hashchange', () => {
  if (api) showRoute();
});

open();
