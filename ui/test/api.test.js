// node --test: the page's API client (ui/src/api.js) against a fake fetch.
import assert from 'node:assert/strict';
import test from 'node:test';

import { ApiError, createApi, mapLimit } from '../src/api.js';

// A paged list of `total` items, `limit` per page, cursors as the server issues them (opaque strings).
function fakeServer(total, { status = 200 } = {}) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init });
    const u = new URL(url, 'http://127.0.0.1');
    if (status !== 200) {
      return { ok: false, status, text: async () => JSON.stringify({ status, detail: 'missing bearer token' }) };
    }
    const limit = Number(u.searchParams.get('limit'));
    const start = u.searchParams.has('cursor') ? Number(u.searchParams.get('cursor').slice(1)) : 0;
    const items = Array.from({ length: Math.min(limit, total - start) }, (_, i) => ({ n: start + i }));
    const next = start + items.length < total ? `c${start + items.length}` : null;
    return { ok: true, status: 200, text: async () => JSON.stringify({ metrics: items, next_cursor: next }) };
  };
  return { calls, fetchImpl };
}

test('getAll follows next_cursor with the bearer token until the last page', async () => {
  const { calls, fetchImpl } = fakeServer(2500);
  const api = createApi('tok-123', { fetchImpl });
  const page = await api.metrics('fraud scorer', { from: '2026-11-23T00:00:00Z' });
  assert.equal(page.items.length, 2500);
  assert.equal(page.truncated, false);
  assert.deepEqual(page.items.slice(998, 1001).map((x) => x.n), [998, 999, 1000]);
  assert.equal(calls.length, 3);
  assert.match(calls[0].url, /^\/v1\/models\/fraud%20scorer\/metrics\?from=2026-11-23T00%3A00%3A00Z&limit=1000$/);
  assert.match(calls[1].url, /&cursor=c1000$/);
  assert.equal(calls[0].init.headers.Authorization, 'Bearer tok-123');
});

test('getAll stops after maxPages and says so', async () => {
  const { calls, fetchImpl } = fakeServer(5000);
  const page = await createApi('t', { fetchImpl }).getAll('/v1/models/m/metrics', 'metrics', {}, 2);
  assert.equal(page.items.length, 2000);
  assert.equal(page.truncated, true);
  assert.equal(calls.length, 2);
});

test('errors carry the status and the problem detail', async () => {
  const { fetchImpl } = fakeServer(0, { status: 401 });
  await assert.rejects(createApi('bad', { fetchImpl }).models(), (e) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 401);
    assert.equal(e.message, 'missing bearer token');
    return true;
  });
});

test('mapLimit keeps order and bounds concurrency', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, x));
    running -= 1;
    return x * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(peak, 2);
});
