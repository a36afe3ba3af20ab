// node --test: the page's pure logic (ui/src/state.js), no browser.
import assert from 'node:assert/strict';
import test from 'node:test';

import {
  axisTimeLabels,
  bandForPlot,
  driftMarkers,
  formatKpi,
  formatTime,
  kpiSeries,
  latestDataCheck,
  metricNames,
  modelState,
  parseTime,
  retrainSpans,
  topFeatures,
  withEstimate,
  yRange,
} from '../src/state.js';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0) / 1000;

test('parseTime reads RFC 3339 with Z, fractions and offsets', () => {
  assert.equal(parseTime('2026-11-23T06:00:00Z'), T0);
  assert.equal(parseTime('2026-11-23T06:00:00.250000Z'), T0 + 0.25);
  assert.equal(parseTime('2026-11-23T08:30:00+02:30'), T0);
  assert.equal(parseTime('2026-11-23T05:00:00-01:00'), T0);
  assert.ok(Number.isNaN(parseTime('yesterday')));
  assert.ok(Number.isNaN(parseTime(null)));
  assert.equal(formatTime(T0 + 0.25), '2026-11-23 06:00:00Z');
});

const decision = (action, extra = {}) => ({ id: `d-${action}`, at: '2026-11-23T06:00:00Z', action, reason: `why ${action}`, kpis: {}, detectors: [], retrain_id: null, ...extra });
const run = (status, extra = {}) => ({ id: 'r1', status, reason: 'confirmed breach', requested_at: '2026-11-23T06:00:00Z', updated_at: '2026-11-23T07:00:00Z', ...extra });

test('modelState: ok, warn, retraining, suppressed', () => {
  assert.equal(modelState([], []).state, 'ok');
  assert.equal(modelState([decision('none')], []).state, 'ok');
  assert.equal(modelState([decision('none'), decision('warn')], []).state, 'warn');
  assert.equal(modelState([decision('suppressed')], [run('succeeded')]).state, 'suppressed');
  // an open run wins over whatever was decided last
  assert.equal(modelState([decision('retrain', { retrain_id: 'r1' })], [run('requested')]).state, 'retraining');
  assert.equal(modelState([decision('suppressed')], [run('running')]).state, 'retraining');
  // a finished run: succeeded is ok, failed needs attention
  assert.equal(modelState([decision('retrain', { retrain_id: 'r1' })], [run('succeeded')]).state, 'ok');
  assert.equal(modelState([decision('retrain', { retrain_id: 'r1' })], [run('failed')]).state, 'warn');
  // a decision recorded before a run succeeded judged the previous generation
  const before = decision('suppressed', { recorded_at: '2026-11-23T06:30:00Z' });
  assert.equal(modelState([before], [run('succeeded')]).state, 'ok');
  assert.equal(modelState([{ ...before, recorded_at: '2026-11-23T07:30:00Z' }], [run('succeeded')]).state, 'suppressed');
});

const point = (at, kpi, generation = 1) => ({ at, n: 500, generation, kpis: kpi ? { accuracy: kpi } : {} });

test('kpiSeries keeps null bounds as unbounded and skips points without the KPI', () => {
  const metrics = [
    point('2026-11-23T06:00:00Z', { value: 0.9, lower: null, upper: 1, n: 1, threshold: 0.85, bound: 'min', confirmed_breach: false }),
    point('2026-11-23T06:01:00Z', null),
    point('2026-11-23T06:02:00Z', { value: 0.7, lower: 0.66, upper: null, n: 500, threshold: 0.85, bound: 'min', confirmed_breach: true }),
  ];
  const s = kpiSeries(metrics, 'accuracy');
  assert.deepEqual(s.x, [T0, T0 + 120]);
  assert.deepEqual(s.lower, [null, 0.66]);
  assert.deepEqual(s.upper, [1, null]);
  assert.deepEqual(s.threshold, [0.85, 0.85]);
  assert.equal(s.bound, 'min');
  const range = yRange(s, 'accuracy');
  assert.ok(range[0] >= 0 && range[0] < 0.66 && range[1] <= 1);
  const band = bandForPlot(s, range);
  assert.deepEqual(band.lower, [range[0], 0.66]);
  assert.deepEqual(band.upper, [1, range[1]]);
  assert.equal(formatKpi(metrics[0].kpis.accuracy), '0.9 [−∞, 1]');
  assert.deepEqual(metricNames({ kpis: [{ metric: 'f1', min: 0.5 }] }, metrics), ['f1', 'accuracy']);
});

test('withEstimate puts the label-free estimate beside the realized KPI on the union of their times', () => {
  const realized = [
    point('2026-11-23T06:00:00Z', { value: 0.9, lower: 0.88, upper: null, threshold: 0.85, bound: 'min' }),
    point('2026-11-23T06:02:00Z', { value: 0.8, lower: 0.78, upper: 0.82, threshold: 0.85, bound: 'min' }),
  ];
  const estimated = [
    point('2026-11-23T06:01:00Z', { value: 0.7, lower: 0.6, upper: 0.75, threshold: 0.85, bound: 'min' }),
    point('2026-11-23T06:02:00Z', { value: 0.79, lower: null, upper: 0.9, threshold: 0.85, bound: 'min' }),
  ];
  const s = withEstimate(kpiSeries(realized, 'accuracy'), estimated, 'accuracy');
  assert.deepEqual(s.x, [T0, T0 + 60, T0 + 120]);
  assert.deepEqual(s.value, [0.9, undefined, 0.8]);
  assert.deepEqual(s.estimated, [undefined, 0.7, 0.79]);
  assert.equal(s.realizedPoints, 2);
  assert.equal(s.estimatedPoints, 2);
  const range = yRange(s, 'accuracy');
  assert.ok(range[0] < 0.6, `the estimate's lower bound is in range: ${range}`);
  const band = bandForPlot(s, range);
  // A missing point is a gap (null); an unbounded end is drawn to the edge.
  assert.deepEqual(band.upper, [range[1], null, 0.82]);
  assert.deepEqual(band.estLower, [null, 0.6, range[0]]);
  // Without estimates, the series is the realized one, unchanged.
  const plain = kpiSeries(realized, 'accuracy');
  assert.equal(withEstimate(plain, [], 'accuracy'), plain);
});

const drift = [
  { at: '2026-11-23T06:00:00Z', kind: 'detector', detector: 'adwin', index: 0, signal: 'drift', window_kept: 40 },
  { at: '2026-11-23T06:05:00Z', kind: 'data', dataset: { drift: false, drifted: 0, columns: 3 }, features: [] },
  {
    at: '2026-11-23T06:10:00Z',
    kind: 'data',
    dataset: { drift: true, drifted: 2, columns: 3, share: 0.67, drift_share: 0.5 },
    features: [
      { feature: 'amount', test: 'ks', statistic: 0.8, threshold: 0.05, p_value: 1e-30, drifted: true },
      { feature: 'score', test: 'ks', statistic: 0.3, threshold: 0.05, p_value: 1e-4, drifted: true },
      { feature: 'age', test: 'ks', statistic: 0.02, threshold: 0.05, p_value: 0.9, drifted: false },
    ],
  },
];

test('a multivariate alarm becomes a marker; a quiet multivariate check does not', () => {
  const events = [
    { at: '2026-11-23T06:00:00Z', kind: 'multivariate', reconstruction_error: 0.8, lower: 0.6, upper: 0.95, alert: false },
    { at: '2026-11-23T06:10:00Z', kind: 'multivariate', reconstruction_error: 1.38, lower: 0.648, upper: 0.953, alert: true, components: 3 },
  ];
  const m = driftMarkers(events);
  assert.deepEqual(m.map((x) => x.kind), ['multivariate']);
  assert.equal(m[0].t, T0 + 600);
  assert.match(m[0].detail, /reconstruction error 1\.38 outside \[0\.648, 0\.953\] \(3 components\)/);
});

test('axis labels are UTC, with the date at day changes', () => {
  assert.deepEqual(axisTimeLabels([T0 - 3600, T0, T0 + 3600]), ['05:00\n2026-11-23', '06:00', '07:00']);
  assert.deepEqual(axisTimeLabels([T0 - 7 * 3600, T0 + 13 * 3600]), ['23:00\n2026-11-22', '19:00\n2026-11-23']);
  assert.deepEqual(axisTimeLabels([T0, T0 + 86400]), ['2026-11-23', '2026-11-24']);
});

test('drift events become markers; the latest data check gives the top features', () => {
  const m = driftMarkers(drift);
  assert.deepEqual(m.map((x) => x.kind), ['alarm', 'data-check', 'data-drift']);
  assert.match(m[2].detail, /2 of 3 columns drifted: amount, score/);
  const check = latestDataCheck(drift);
  assert.equal(check.at, '2026-11-23T06:10:00Z');
  assert.deepEqual(topFeatures(check, 2).map((f) => f.feature), ['amount', 'score']);
  assert.equal(latestDataCheck(drift.slice(0, 1)), null);
});

test('retrain spans: open runs reach the end; finished ones end at the next generation or updated_at', () => {
  const metrics = [point('2026-11-23T05:00:00Z', null, 1), point('2026-11-23T06:30:00Z', null, 2)];
  const end = T0 + 7200;
  assert.deepEqual(retrainSpans([run('running')], metrics, end).map((s) => [s.start, s.end, s.open]), [[T0, end, true]]);
  // succeeded: the first point of generation 2, whether before or after updated_at (wall time)
  assert.equal(retrainSpans([run('succeeded')], metrics, end)[0].end, T0 + 1800);
  const later = [point('2026-11-23T05:00:00Z', null, 1), point('2026-11-23T09:00:00Z', null, 2)];
  assert.equal(retrainSpans([run('succeeded')], later, end)[0].end, T0 + 3 * 3600);
  // succeeded, no point of the next generation yet: updated_at
  assert.equal(retrainSpans([run('succeeded')], metrics.slice(0, 1), end)[0].end, T0 + 3600);
  // failed: updated_at
  assert.equal(retrainSpans([run('failed')], metrics, end)[0].end, T0 + 3600);
  // a wall time before the data time never gives a negative span
  assert.equal(retrainSpans([run('failed', { updated_at: '2026-11-20T00:00:00Z' })], metrics, end)[0].end, T0);
});
