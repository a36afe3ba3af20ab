// node --test: the segments table and selector (ui/src/segments.js).
import assert from 'node:assert/strict';
import test from 'node:test';

import { segmentOptions, segmentRows } from '../src/segments.js';

const DOC = {
  segments: [
    { segment: 'eu', n: 812, state: 'breach', kpis: { accuracy: { value: 0.6, lower: 0.55, upper: 0.65, threshold: 0.85, bound: 'min', confirmed_breach: true } } },
    { segment: 'us', n: 1000, state: 'ok', kpis: { accuracy: { value: 0.9, lower: 0.88, upper: 0.92, threshold: 0.85, bound: 'min', confirmed_breach: false } } },
  ],
};

test('segmentRows keeps the server order and shows each KPI with band and threshold', () => {
  const rows = segmentRows(DOC);
  assert.deepEqual(rows.map((r) => r.segment), ['eu', 'us']);
  assert.equal(rows[0].state, 'breach');
  assert.equal(rows[0].n, 812);
  assert.equal(rows[0].kpis[0].text, 'accuracy 0.6 [0.55, 0.65] ≥ 0.85');
  assert.equal(rows[0].kpis[0].breach, true);
  assert.equal(rows[1].kpis[0].breach, false);
});

test('segmentRows tolerates an empty or odd answer', () => {
  assert.deepEqual(segmentRows(null), []);
  assert.deepEqual(segmentRows({ segments: [{ segment: 'x', state: 'weird', kpis: {} }] })[0].state, 'ok');
});

test('segmentOptions puts the whole stream first, then the segments by name', () => {
  assert.deepEqual(segmentOptions(DOC).map((o) => o.value), ['', 'eu', 'us']);
});
