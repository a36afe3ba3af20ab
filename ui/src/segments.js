// The segments of a model as the page shows them (GET /v1/models/{m}/segments, already most at risk
// first): one row per segment with its state, each KPI with its band and threshold, and n.
import { formatKpi, formatNumber } from './state.js';

export const SEGMENT_STATES = ['breach', 'warn', 'ok'];

export function segmentRows(doc) {
  const items = doc && Array.isArray(doc.segments) ? doc.segments : [];
  return items.map((s) => ({
    segment: String(s.segment),
    state: SEGMENT_STATES.includes(s.state) ? s.state : 'ok',
    n: typeof s.n === 'number' ? s.n : null,
    kpis: Object.entries(s.kpis || {}).map(([name, k]) => ({
      name,
      text: `${name} ${formatKpi(k)}${k.threshold === null || k.threshold === undefined ? '' : ` ${k.bound === 'max' ? '≤' : '≥'} ${formatNumber(k.threshold)}`}`,
      breach: !!k.confirmed_breach,
    })),
  }));
}

// The selector's options: the whole stream first, then the segments by name.
export function segmentOptions(doc) {
  const names = segmentRows(doc).map((r) => r.segment).sort();
  return [{ value: '', label: 'whole stream' }, ...names.map((n) => ({ value: n, label: n }))];
}
