// The HTML report of `adf-troubleshooter triage`, opened in headless Debian Chromium: it renders,
// its chart has one bar per hour with failures, markup from the logs stays text, and the page
// makes no request at all (it is one self-contained file).
//
// The report is built with the release CLI (target/release/adf-troubleshooter); `cargo build`
// runs first and does nothing when the binary is current (./build.sh test has built it already).
// TRIAGE_SCREENSHOT=docs/triage-report.png also saves the screenshot the README shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(root, 'tests', 'data', 'triage');
const binary = join(root, 'target', 'release', 'adf-troubleshooter');

let dir;
let browser;

before(async () => {
  execFileSync('cargo', ['build', '--quiet', '--release', '-p', 'adf-troubleshooter', '--bin', 'adf-troubleshooter'], {
    cwd: root, stdio: 'inherit',
  });
  dir = mkdtempSync(join(tmpdir(), 'adf-triage-report-'));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: false,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Builds a report from `inputs` and opens it; every request other than the file is recorded. */
async function open(name, inputs, extra = []) {
  const path = join(dir, name);
  execFileSync(binary, ['triage', '--html', path, ...extra, ...inputs], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = pathToFileURL(path).href;
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const requests = [];
  const errors = [];
  await context.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url, { waitUntil: 'load' });
  return { page, context, requests, errors, html: readFileSync(path, 'utf8') };
}

/** Hours with at least one failed run in the REST fixture, counted from the file itself. */
function failureHours() {
  const { value } = JSON.parse(readFileSync(join(fixtures, 'rest', 'query-by-pipeline-run.json'), 'utf8'));
  return new Set(value.filter((r) => r.status === 'Failed').map((r) => r.activityRunStart.slice(0, 13))).size;
}

test('the report renders its chart, tables and cards, and makes no request', async () => {
  const { page, context, requests, errors } = await open('report.html', [join(fixtures, 'rest', 'query-by-pipeline-run.json')]);
  try {
    assert.equal(await page.title(), 'ADF activity failures: triage');
    const bars = await page.locator('svg#chart g.bar').count();
    assert.equal(bars, failureHours(), 'one bar per hour with failures');
    assert.equal(bars, 17);
    // The bars' totals add up to every failure.
    const totals = await page.locator('svg#chart g.bar').evaluateAll((gs) => gs.map((g) => Number(g.dataset.total)));
    assert.equal(totals.reduce((a, b) => a + b, 0), 33);
    const box = await page.locator('svg#chart').boundingBox();
    assert.ok(box && box.width > 600 && box.height > 100, `the chart is drawn (${JSON.stringify(box)})`);
    assert.equal(await page.locator('#known tr').count(), 1 + 6, 'a row per known problem');
    assert.equal(await page.locator('#unexplained tr').count(), 1 + 3, 'a row per template');
    assert.equal(await page.locator('article.card').count(), 6);
    const first = await page.locator('article.card h3').first().textContent();
    assert.match(first, /Blob operation failed/);
    assert.match(await page.locator('article.card').nth(1).textContent(), /How to fix it/);
    assert.deepEqual(requests, [], 'no network request');
    assert.deepEqual(errors, []);
    if (process.env.TRIAGE_SCREENSHOT) {
      await page.screenshot({ path: resolve(root, process.env.TRIAGE_SCREENSHOT), fullPage: false });
    }
  } finally {
    await context.close();
  }
});

test('markup and secrets in error messages stay masked text', async () => {
  const { page, context, requests, errors, html } = await open('hostile.html', [join(fixtures, 'hostile', 'activity-runs.jsonl')]);
  try {
    assert.equal(await page.evaluate(() => document.scripts.length), 0, 'no script element');
    assert.equal(await page.evaluate(() => document.images.length), 0, 'no image element');
    const text = await page.evaluate(() => document.body.textContent);
    assert.ok(text.includes("<script>alert('owned')</script>"), 'the script tag is shown as text');
    assert.ok(text.includes('PL_<img src=x onerror=alert(1)>'), 'the pipeline name is shown as text');
    for (const secret of ['Hunter2FAKE', 'Other3FAKE', 'q0tYh8Zr']) {
      assert.ok(!html.includes(secret), `${secret} is masked`);
    }
    assert.ok(text.includes('Password=****'));
    assert.deepEqual(requests, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
