// Drives the /ui ops page in headless Chromium (Debian's, through playwright-core from ui/node_modules)
// for tests/e2e/test_ui_browser.py, which starts the server and loads the scenario.
//   node ui_browser.mjs --url http://127.0.0.1:PORT/ui --token T --model M --screenshot FILE
//        [--chromium /usr/bin/chromium] [--expect-states '{"model": "state", ...}']
//        [--expect-ledger '{"model": <GET .../sustainability>, "fleet": <GET /v1/sustainability>}']
// Only 127.0.0.1 is reachable from the page; any other request fails the run, as do page errors and
// console errors. Exit 0 when every check passed.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { chromium } = createRequire(join(root, 'ui', 'package.json'))('playwright-core');
// The page's own formatting of ledger figures (a pure module), so the expected cell texts follow it.
const { ledgerRows } = await import(pathToFileURL(join(root, 'ui', 'src', 'state.js')).href);

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    model: { type: 'string' },
    screenshot: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    'expect-states': { type: 'string', default: '{}' },
    'expect-ledger': { type: 'string', default: '' },
  },
});
for (const k of ['url', 'token', 'model', 'screenshot']) assert.ok(opt[k], `--${k} is required`);

const step = (what) => console.log(`ui: ${what}`);
const problems = [];
const blocked = [];

const browser = await chromium.launch({
  executablePath: opt.chromium,
  headless: true,
  timeout: 30000,
  // Playwright gives every launch a fresh temporary profile (user data dir).
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(15000);
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1') return route.continue();
    blocked.push(u.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });

  // ---- the token form, once
  await page.goto(opt.url);
  await page.locator('#login-form').waitFor();
  step('token form shown');
  await page.fill('#token', 'not-a-token-at-all-0000');
  await page.click('#login-form button[type=submit]');
  await page.locator('#login-error').filter({ hasText: '401' }).waitFor();
  step('a wrong token is refused with a message');
  problems.length = 0;  // the 401 above is logged by Chromium as a failed resource: expected
  await page.fill('#token', opt.token);
  await page.click('#login-form button[type=submit]');

  // ---- the models with their state
  await page.locator(`#models tbody tr[data-model="${opt.model}"]`).waitFor();
  const states = await page.$$eval('#models tbody tr', (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.model, r.dataset.state])));
  step(`models: ${JSON.stringify(states)}`);
  for (const [model, state] of Object.entries(JSON.parse(opt['expect-states']))) {
    assert.equal(states[model], state, `state of ${model}`);
  }
  assert.equal(await page.evaluate(() => sessionStorage.getItem('driftgate.token')), opt.token);

  // ---- one model
  await page.click(`#models a:text-is("${opt.model}")`);
  await page.locator('#model-panel[data-state="ready"]').waitFor();
  assert.equal(await page.textContent('#model-name'), opt.model);
  const chart = page.locator('#chart');
  await chart.locator('canvas').waitFor();
  const facts = await chart.evaluate((el) => ({ ...el.dataset }));
  step(`chart: ${JSON.stringify(facts)}`);
  assert.ok(Number(facts.points) >= 20, 'KPI points on the chart');
  assert.equal(facts.band, 'true');
  assert.equal(Number(facts.threshold), 0.85);
  const legend = await chart.locator('.u-legend .u-series .u-label').allTextContents();
  for (const label of ['accuracy', 'lower', 'upper', 'threshold (min)', 'accuracy estimated (CBPE)']) {
    assert.ok(legend.includes(label), `legend has ${label}: ${legend}`);
  }
  assert.ok(Number(facts.estimated) >= 1, 'label-free estimates on the chart');
  // The band and the threshold were really painted: count pixels of their colours on the (transparent)
  // canvas: the band is the KPI's blue at 16% opacity, the line and the threshold are opaque.
  const paint = await chart.locator('canvas').evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let band = 0;
    let threshold = 0;
    let value = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      const blue = Math.abs(r - 31) < 20 && Math.abs(g - 111) < 20 && Math.abs(b - 235) < 20;  // #1f6feb
      if (blue && a > 25 && a < 60) band += 1;
      if (blue && a > 200) value += 1;
      if (Math.abs(r - 207) < 20 && Math.abs(g - 34) < 25 && Math.abs(b - 46) < 25 && a > 150) threshold += 1;  // #cf222e
    }
    return { band, threshold, value };
  });
  step(`painted pixels: ${JSON.stringify(paint)}`);
  assert.ok(paint.band > 2000, 'confidence band painted');
  assert.ok(paint.threshold > 200, 'threshold painted');
  assert.ok(paint.value > 200, 'KPI line painted');

  // ---- markers and spans on the chart's overlay
  const count = (sel) => chart.locator(sel).count();
  const alarms = await count('.dg-marker[data-kind="alarm"]');
  const driftMarks = await count('.dg-marker[data-kind="data-drift"]');
  const checks = await count('.dg-marker[data-kind="data-check"]');
  const spans = await count('.dg-span[data-kind="retrain"][data-status="succeeded"]');
  step(`markers: ${alarms} alarms, ${driftMarks} data drift, ${checks} data checks; ${spans} retrain spans`);
  assert.ok(alarms >= 1, 'detector alarm markers');
  assert.ok(driftMarks >= 1, 'data-drift markers');
  assert.ok(spans >= 1, 'a retrain span');
  assert.match(await chart.locator('.dg-marker[data-kind="alarm"]').first().getAttribute('title'), /(adwin|ddm) drift/);

  // ---- decisions: the retrain with its reason
  const retrainRow = page.locator('#decisions tbody tr[data-action="retrain"]');
  assert.equal(await retrainRow.count(), 1, 'one retrain decision');
  const reason = await retrainRow.locator('td.reason').textContent();
  step(`retrain decision: ${reason}`);
  assert.match(reason, /^confirmed breach: accuracy .* below minimum 0\.85/);
  assert.match(await retrainRow.locator('td.kpis').textContent(), /accuracy 0\.\d+ \[0\.\d+, 0\.\d+\]/);
  assert.ok((await page.locator('#decisions tbody tr').count()) >= 4, 'the decision history');

  // ---- the top drifted features of the latest data check
  const top = page.locator('#features tbody tr').first();
  assert.equal(await top.getAttribute('data-feature'), 'amount');
  assert.match(await top.textContent(), /amount\s*ks.*drift/);
  assert.match(await page.textContent('#check-verdict'), /^Dataset drift/);
  const retrains = await page.$$eval('#retrains tbody tr', (rows) => rows.map((r) => r.dataset.status));
  assert.deepEqual(retrains, ['succeeded']);
  step('decision table, top drifted feature and retraining runs shown');

  // ---- the sustainability ledger: the model's panel and the fleet summary show the scenario's figures
  if (opt['expect-ledger']) {
    const want = JSON.parse(opt['expect-ledger']);
    const cells = async (table) => Object.fromEntries(await page.$$eval(`${table} tbody tr`, (rows) =>
      rows.map((r) => [r.dataset.kind, r.querySelector('td.num').textContent])));
    const expectCells = (doc) => Object.fromEntries(ledgerRows(doc).map((r) => [r.kind, r.text]));
    await page.locator('#ledger[data-state="ready"]').waitFor();
    const shownModel = await cells('#ledger-table');
    step(`model ledger: ${JSON.stringify(shownModel)}`);
    assert.deepEqual(shownModel, expectCells(want.model));
    assert.equal(shownModel['retrains.avoided'], String(want.model.retrains.avoided));
    assert.match(shownModel['co2e_kg.spent'], / kg$/);
    assert.match(await page.textContent('#ledger-note'), /retrain every 0\.01 days.*40 kWh at 400 g CO2e\/kWh/);
    await page.locator('#fleet-ledger[data-state="ready"]').waitFor();
    const shownFleet = await cells('#fleet-ledger-table');
    step(`fleet ledger: ${JSON.stringify(shownFleet)}`);
    assert.deepEqual(shownFleet, expectCells(want.fleet));
    assert.match(await page.textContent('#fleet-ledger-summary'), /^3 retrains requested, 45 avoided/);
  }

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
  await page.screenshot({ path: opt.screenshot, fullPage: true });
  step(`screenshot ${opt.screenshot}`);

  // ---- entered once: a reload keeps the token (sessionStorage) and the model (URL hash)
  await page.reload();
  await page.locator('#model-panel[data-state="ready"]').waitFor();
  assert.ok(await page.locator('#login').isHidden(), 'no second token prompt after a reload');
  assert.equal(await page.textContent('#model-name'), opt.model);
  step('reload keeps the token and the model');

  assert.deepEqual(blocked, [], 'requests to hosts other than 127.0.0.1');
  assert.deepEqual(problems, [], 'page or console errors');
  await context.close();
} finally {
  await browser.close();
}
console.log('ui: all browser checks passed');
