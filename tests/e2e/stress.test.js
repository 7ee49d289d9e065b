// A busy studio page for 30 s: 50,000 elements, re-rendered every 100 ms (a tenth of the run
// grid replaced, the error dialog's text set again, a live status line changed), the dialog
// re-created every second, its error changed after a third and changed back after two thirds.
// The extension must keep exactly one card, for the error shown, and leak nothing: the page
// ends as it started, so its DOM node and listener counts must come back to where they were.
// Its scripting time in the page is measured (CPU profile samples under the content script's
// frames) and printed, not asserted: wall-clock figures on a shared CI machine are not a test
// (bench/RESULTS.md keeps measured ones). `ADF_STRESS_SECONDS` shortens the run locally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser } from './with-browser.js';

const URL = 'https://adf.azure.com/en/monitoring/busy';
const SECONDS = Number(process.env.ADF_STRESS_SECONDS ?? 30);
const FIRST = "Operation on target Copy SQL to Blob failed: ErrorCode=UserErrorFailedToConnectToSqlServer,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Cannot connect to SQL Server: 'sqlsrv-finance.database.windows.net', Database: 'finance', User: 'etl_reader'.,Source=Microsoft.DataTransfer.ClientLibrary,''Type=System.Data.SqlClient.SqlException,Message=Login failed for user 'etl_reader'.,Source=.Net SqlClient Data Provider,SqlErrorNumber=18456,'";
const SECOND = "Failed to get service token from ADF service with key ***, the error code is: InvalidGatewayKey, detailed error message is Client IP address isn't valid private ip";

/** The page's own script: renders once; window.rendering(true) starts the re-rendering, (false) stops it. */
function busyPage({ first, second, seconds }) {
  const GROUPS = 10;
  const ROWS = 500; // per group: 10 elements a row, 50,000 and the shell
  const make = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const row = (i, tick) => {
    const tr = make('div', undefined, 'row');
    tr.setAttribute('role', 'row');
    const cells = [`Copy_${i}`, 'Copy data', tick % 7 ? 'Succeeded' : 'In progress', `${(i * 7 + tick) % 60}s`,
      `run-${i}`, 'Trigger', 'contoso-adf', `${i % 24}:00`, '…'];
    for (const text of cells) tr.append(make('span', text, 'cell'));
    return tr;
  };
  const groups = [];
  const grid = make('div', undefined, 'grid');
  grid.setAttribute('role', 'grid');
  for (let g = 0; g < GROUPS; g++) {
    groups.push(grid.appendChild(make('div', undefined, 'group')));
    for (let i = 0; i < ROWS; i++) groups[g].append(row(g * ROWS + i, 0));
  }
  const status = make('div', 'Pipeline runs refreshed (0)', 'status');
  status.setAttribute('role', 'alert');
  const layer = make('div');
  document.body.append(status, grid, layer);
  let error = first;
  let details = null;
  const showDialog = () => {
    const dialog = make('div');
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-label', 'Error details');
    details = make('div', error);
    dialog.append(make('div', 'Error details'), make('div', 'Error code'), make('div', '2200'), details, make('button', 'Close'));
    layer.replaceChildren(dialog);
  };
  showDialog();
  let tick = 0;
  let timer = 0;
  const render = () => {
    tick += 1;
    const g = tick % GROUPS;
    groups[g].replaceChildren(...Array.from({ length: ROWS }, (_, i) => row(g * ROWS + i, tick)));
    status.textContent = `Pipeline runs refreshed (${tick})`;
    if (tick === Math.round((seconds * 10) / 3)) error = second;
    if (tick === Math.round((seconds * 20) / 3)) error = first;
    if (tick % 10 === 0) showDialog();
    else details.textContent = error;
  };
  window.rendering = (on) => {
    clearInterval(timer);
    if (on) timer = setInterval(render, 100);
  };
}

const browser = withBrowser(async () => {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Monitor</title></head><body><h1>Activity runs</h1>
<script>(${busyPage})(${JSON.stringify({ first: FIRST, second: SECOND, seconds: SECONDS })})</script></body></html>`;
  await browser.context.route(URL, (route) => route.fulfill({ contentType: 'text/html', body: html }));
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const cardIds = (page) => page.evaluate(() =>
  [...document.querySelectorAll('[data-adf-troubleshooter]')].map((host) => host.getAttribute('data-adf-troubleshooter')));

/** Milliseconds of CPU profile samples with a content-script frame on their stack. */
function extensionMs(profile) {
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const ours = new Map();
  const isOurs = (node) => {
    if (!ours.has(node.id)) {
      const up = parent.get(node.id);
      ours.set(node.id, node.callFrame.url.startsWith('chrome-extension://') || Boolean(up && isOurs(up)));
    }
    return ours.get(node.id);
  };
  let us = 0;
  profile.samples.forEach((id, i) => { if (isOurs(byId.get(id))) us += profile.timeDeltas[i] ?? 0; });
  return us / 1000;
}

test(`a 50,000-element page re-rendering every 100 ms for ${SECONDS} s: one card, nothing leaked`, async (t) => {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  const worlds = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
  await cdp.send('Runtime.enable');
  await page.goto(URL);
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  assert.ok(elements >= 50_000 && elements < 51_000, `${elements} elements`);
  await page.waitForFunction(() => document.querySelectorAll('[data-adf-troubleshooter]').length === 1, null, { timeout: 10_000 });
  const [firstId] = await cardIds(page);

  // Counts the content script's messages to the worker, from inside its own world.
  const contentScript = worlds.find((c) => c.origin === `chrome-extension://${browser.extensionId}`);
  const inContentScript = async (expression) =>
    (await cdp.send('Runtime.evaluate', { contextId: contentScript.id, expression, returnByValue: true })).result.value;
  await inContentScript(`{ const send = chrome.runtime.sendMessage.bind(chrome.runtime); globalThis.sent = 0;
    chrome.runtime.sendMessage = (...args) => { globalThis.sent += 1; return send(...args); }; }`);
  const counters = async () => {
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    return cdp.send('Memory.getDOMCounters');
  };
  const scriptMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration').value * 1000;
  await cdp.send('Performance.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  // Counted in the same quiet state as at the end: the same dialog and card, nothing pending.
  const start = { counters: await counters(), scriptMs: await scriptMs() };
  await cdp.send('Profiler.start');
  await page.evaluate(() => window.rendering(true));
  const seen = [];
  const t0 = Date.now();
  while (Date.now() - t0 < SECONDS * 1000) {
    await sleep(500);
    seen.push(await cardIds(page));
  }
  await page.evaluate(() => window.rendering(false));
  const { profile } = await cdp.send('Profiler.stop');
  const elapsed = (Date.now() - t0) / 1000;
  const pageScriptMs = (await scriptMs()) - start.scriptMs;
  await sleep(1500); // the last scan and its answer
  const ids = await cardIds(page);
  const end = await counters();

  const counts = seen.map((list) => list.length);
  assert.ok(counts.every((n) => n <= 1), `never two cards at once: ${counts}`);
  assert.ok(counts.filter((n) => n === 1).length >= counts.length / 2, `the card is there most of the time: ${counts}`);
  assert.ok(seen.some(([id]) => id && id !== firstId), 'the card followed the error when it changed');
  assert.deepEqual(ids, [firstId], 'one card, for the error shown at the end');
  const listeners = end.jsEventListeners - start.counters.jsEventListeners;
  const nodes = end.nodes - start.counters.nodes;
  assert.ok(listeners <= 0, `event listeners grew by ${listeners}`);
  assert.ok(nodes <= 0, `DOM nodes grew by ${nodes} (after garbage collection)`);

  const ours = extensionMs(profile);
  const figures = {
    seconds: Number(elapsed.toFixed(1)),
    elements,
    extensionScriptMs: Number(ours.toFixed(1)),
    extensionShareOfWallTime: `${((100 * ours) / (elapsed * 1000)).toFixed(2)}%`,
    pageScriptMs: Number(pageScriptMs.toFixed(0)),
    messagesToWorker: await inContentScript('globalThis.sent'),
    nodeGrowth: nodes,
    listenerGrowth: listeners,
  };
  t.diagnostic(`stress figures: ${JSON.stringify(figures)}`);
  await page.close();
});
