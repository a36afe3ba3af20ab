// node --test: the sustainability ledger's rows and fleet line (ui/src/state.js), no browser.
import assert from 'node:assert/strict';
import test from 'node:test';

import { createApi } from '../src/api.js';
import { ledgerRows, ledgerSummary } from '../src/state.js';

const COSTED = {
  model: 'ui-fraud',
  retrains: { requested: 1, suppressed: 7, baseline: 46, avoided: 45, did_not_help: 0 },
  energy_kwh: { spent: 40, avoided: 1800 },
  co2e_kg: { spent: 16, avoided: 720 },
};

test('ledgerRows lists the eight figures with units, in a fixed order', () => {
  const rows = ledgerRows(COSTED);
  assert.deepEqual(rows.map((r) => r.kind), [
    'retrains.requested', 'retrains.suppressed', 'retrains.baseline', 'retrains.avoided',
    'energy_kwh.spent', 'energy_kwh.avoided', 'co2e_kg.spent', 'co2e_kg.avoided',
  ]);
  assert.deepEqual(rows.map((r) => r.text), ['1', '7', '46', '45', '40 kWh', '1800 kWh', '16 kg', '720 kg']);
  assert.equal(rows[5].value, 1800);
});

test('ledgerRows shows unknown energy (no retrain_cost) as a dash, and survives a missing document', () => {
  const rows = ledgerRows({ ...COSTED, energy_kwh: { spent: null, avoided: null }, co2e_kg: { spent: null, avoided: null } });
  assert.deepEqual(rows.slice(4).map((r) => [r.value, r.text]), [[null, '—'], [null, '—'], [null, '—'], [null, '—']]);
  assert.deepEqual(ledgerRows(null).map((r) => r.text), Array(8).fill('—'));
});

test('ledgerSummary reads as one line for the fleet', () => {
  assert.equal(ledgerSummary(COSTED),
    '1 retrain requested, 45 avoided vs. baseline 46 · 40 kWh, 16 kg CO2e spent; 1800 kWh, 720 kg avoided');
  assert.equal(ledgerSummary({ retrains: { requested: 2, avoided: 0, baseline: 0 }, energy_kwh: { spent: null } }),
    '2 retrains requested, 0 avoided vs. baseline 0 · energy unknown (no model states a retrain_cost)');
  assert.equal(ledgerSummary(null), 'No ledger.');
});

test('the API client reads the model and fleet ledgers with the bearer token', async () => {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, auth: init.headers.Authorization });
    return { ok: true, status: 200, text: async () => JSON.stringify(COSTED) };
  };
  const api = createApi('tok-9', { fetchImpl });
  assert.deepEqual(await api.sustainability('fraud scorer'), COSTED);
  assert.deepEqual(await api.fleetSustainability(), COSTED);
  assert.deepEqual(calls, [
    { url: '/v1/models/fraud%20scorer/sustainability', auth: 'Bearer tok-9' },
    { url: '/v1/sustainability', auth: 'Bearer tok-9' },
  ]);
});
