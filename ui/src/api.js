// The read-only slice of the driftgate API the page needs (openapi.yaml), with the bearer token.
// Same origin: the page is served by the driftgate it reads.

export class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status} on ${path}`);
    this.status = status;
    this.problem = problem;
    this.path = path;
  }
}

export const PAGE_LIMIT = 1000;  // the API's largest page

export function createApi(token, { fetchImpl = globalThis.fetch.bind(globalThis), base = '' } = {}) {
  async function get(path, params = {}) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') qs.set(k, String(v));
    const url = `${base}${path}${qs.toString() ? `?${qs}` : ''}`;
    const r = await fetchImpl(url, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
    const text = await r.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!r.ok) throw new ApiError(r.status, body, path);
    return body;
  }

  // Every item of a paged list (oldest first), following `next_cursor`; stops after `maxPages`
  // pages with `truncated: true`.
  async function getAll(path, key, params = {}, maxPages = 100) {
    const items = [];
    let cursor = null;
    let pages = 0;
    do {
      const page = await get(path, { ...params, limit: PAGE_LIMIT, cursor });
      items.push(...(page[key] || []));
      cursor = page.next_cursor || null;
      pages += 1;
    } while (cursor && pages < maxPages);
    return { items, truncated: cursor !== null };
  }

  const m = (name) => `/v1/models/${encodeURIComponent(name)}`;
  return {
    get,
    getAll,
    models: async () => (await get('/v1/models')).models,
    model: (name) => get(m(name)),
    decisions: (name, range) => getAll(`${m(name)}/decisions`, 'decisions', range),
    metrics: (name, range) => getAll(`${m(name)}/metrics`, 'metrics', range),
    segments: (name) => get(`${m(name)}/segments`),
    segmentMetrics: (name, segment, range) => getAll(`${m(name)}/metrics`, 'metrics', { ...range, segment }),
    estimatedMetrics: (name, range) => getAll(`${m(name)}/metrics`, 'metrics', { ...range, kind: 'estimated' }),
    drift: (name, range) => getAll(`${m(name)}/drift`, 'drift', range),
    retrains: (name, range) => getAll(`${m(name)}/retrains`, 'retrains', range),
    sustainability: (name) => get(`${m(name)}/sustainability`),
    fleetSustainability: () => get('/v1/sustainability'),
  };
}

// Runs `fn` over `items` with at most `limit` in flight; results in order.
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
