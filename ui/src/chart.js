// The KPI chart: value, its confidence band (lower..upper, unbounded ends drawn to the edge) and the
// threshold over data time, with detector alarms and data-drift checks as markers and retraining runs
// as spans. uPlot draws the series on a canvas; markers and spans are DOM elements on its overlay, so
// they carry tooltips and can be found by tests.
import uPlot from 'uplot';

import { axisTimeLabels, bandForPlot, formatNumber, formatTime, yRange } from './state.js';

const COLORS = {
  value: '#1f6feb',
  bandLine: 'rgba(31, 111, 235, 0.45)',
  band: 'rgba(31, 111, 235, 0.16)',
  threshold: '#cf222e',
  estimated: '#bc4c00',
  estBand: 'rgba(188, 76, 0, 0.10)',
  estBandLine: 'rgba(188, 76, 0, 0.40)',
};

function el(tag, className, attrs = {}) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

// Spans and markers on uPlot's overlay, redrawn with the plot (zoom, resize).
function overlayPlugin(markers, spans) {
  let layer;
  return {
    hooks: {
      init: (u) => {
        layer = el('div', 'dg-overlay');
        u.over.appendChild(layer);
      },
      draw: (u) => {
        layer.replaceChildren();
        const width = u.over.clientWidth;
        const [xmin, xmax] = [u.scales.x.min, u.scales.x.max];
        for (const s of spans) {
          if (s.end < xmin || s.start > xmax) continue;
          const left = Math.max(0, u.valToPos(Math.max(s.start, xmin), 'x'));
          const right = Math.min(width, u.valToPos(Math.min(s.end, xmax), 'x'));
          const span = el('div', `dg-span dg-span-${s.status}`, {
            'data-kind': 'retrain',
            'data-status': s.status,
            title: `retrain ${s.status}${s.open ? ' (open)' : ''} · requested ${formatTime(s.start)}` +
              (s.open ? '' : ` · until ${formatTime(s.end)}`) + `\n${s.reason || ''}`,
          });
          span.style.left = `${left}px`;
          span.style.width = `${Math.max(3, right - left)}px`;
          const tag = el('span', 'dg-span-label');
          tag.textContent = `retrain ${s.status}`;
          span.appendChild(tag);
          layer.appendChild(span);
        }
        for (const m of markers) {
          if (m.t < xmin || m.t > xmax) continue;
          const x = u.valToPos(m.t, 'x');
          const marker = el('div', `dg-marker dg-marker-${m.kind}`, {
            'data-kind': m.kind,
            title: `${m.label} · ${formatTime(m.t)}${m.detail ? `\n${m.detail}` : ''}`,
          });
          marker.style.left = `${x}px`;
          layer.appendChild(marker);
        }
      },
    },
  };
}

// Draws into `container` (emptied first); returns { plot, destroy }. `series` from state.kpiSeries, or
// state.withEstimate: then the label-free estimate and its band are drawn beside the realized KPI.
export function drawKpiChart(container, { metric, series, markers, spans }) {
  container.replaceChildren();
  const range = yRange(series, metric);
  const band = bandForPlot(series, range);
  const xs = [...series.x, ...markers.map((m) => m.t), ...spans.map((s) => s.start)];
  let xmin = Math.min(...xs);
  let xmax = Math.max(...xs);
  if (xmin === xmax) {
    xmin -= 1800;
    xmax += 1800;
  }
  // Spans still open (or ending after the data) run to the right edge.
  const clipped = spans.map((s) => ({ ...s, end: s.open ? xmax : s.end }));
  const bound = series.bound === 'max' ? 'max' : 'min';
  const unbounded = (raw, edge) => (u, v, si, i) =>
    v === null || v === undefined ? '—' : raw[i] === null ? edge : formatNumber(v);

  const opts = {
    width: Math.max(320, container.clientWidth || 900),
    height: 340,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
    cursor: { drag: { x: true, y: false }, points: { size: 6 } },
    scales: {
      x: { time: true, range: () => [xmin, xmax] },
      y: { range: () => range },
    },
    legend: { live: true },
    series: [
      { label: 'time (UTC)', value: (u, v) => (v === null ? '—' : formatTime(v)) },
      { label: metric, stroke: COLORS.value, width: 2, spanGaps: true, points: { show: series.x.length < 80 }, value: (u, v) => formatNumber(v) },
      { label: 'lower', stroke: COLORS.bandLine, width: 1, dash: [4, 3], spanGaps: true, value: unbounded(series.lower, '−∞') },
      { label: 'upper', stroke: COLORS.bandLine, width: 1, dash: [4, 3], spanGaps: true, value: unbounded(series.upper, '+∞') },
      {
        label: `threshold (${bound})`,
        spanGaps: true,
        stroke: COLORS.threshold,
        width: 1.5,
        dash: [8, 5],
        paths: uPlot.paths.stepped({ align: 1 }),
        points: { show: false },
        value: (u, v) => formatNumber(v),
      },
    ],
    bands: [{ series: [3, 2], fill: COLORS.band }],
    axes: [
      { stroke: '#57606a', grid: { stroke: '#eaeef2' }, size: 48, values: (u, splits) => axisTimeLabels(splits) },
      { stroke: '#57606a', grid: { stroke: '#eaeef2' }, size: 60, values: (u, vals) => vals.map((v) => formatNumber(v, 3)) },
    ],
    plugins: [overlayPlugin(markers, clipped)],
  };
  const data = [series.x, series.value, band.lower, band.upper, series.threshold];
  const estimated = Array.isArray(series.estimated);
  if (estimated) {
    opts.series.push(
      { label: `${metric} estimated (CBPE)`, stroke: COLORS.estimated, width: 2, dash: [2, 3], spanGaps: true,
        points: { show: (series.estimatedPoints || 0) < 80 }, value: (u, v) => formatNumber(v) },
      { label: 'est. lower', stroke: COLORS.estBandLine, width: 1, dash: [2, 3], spanGaps: true, value: unbounded(series.estLower, '−∞') },
      { label: 'est. upper', stroke: COLORS.estBandLine, width: 1, dash: [2, 3], spanGaps: true, value: unbounded(series.estUpper, '+∞') },
    );
    opts.bands.push({ series: [7, 6], fill: COLORS.estBand });
    data.push(series.estimated, band.estLower, band.estUpper);
  }
  const plot = new uPlot(opts, data, container);
  // Facts for people reading the DOM (and the browser test): what the canvas shows.
  Object.assign(container.dataset, {
    metric,
    points: String(series.realizedPoints ?? series.x.length),
    estimated: String(series.estimatedPoints || 0),
    band: String(series.x.length > 0),
    threshold: series.threshold.find((t) => t !== null) ?? '',
    markers: String(markers.length),
    spans: String(spans.length),
  });
  const onResize = () => plot.setSize({ width: Math.max(320, container.clientWidth), height: 340 });
  window.addEventListener('resize', onResize);
  return {
    plot,
    destroy: () => {
      window.removeEventListener('resize', onResize);
      plot.destroy();
    },
  };
}
