// Measurements in Debian Chromium with the built extension (dist/), launched by the end-to-end
// tests' harness: the engine as wasm in an extension page, the service worker's cold start to
// first answer and its memory, and the content script's cost on a large portal page.
import { launch } from '../../tests/e2e/harness.js';
import { perCallMs } from './timing.mjs';
import {
  PAGE_URL, BASELINE_URL, PLAIN_URL, PLAIN_BASELINE_URL, routePortalPages, settle, measureBursts, profileBursts, median,
} from './content-burst.mjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs in the extension page: the engine module, its start-up and per-call times. */
async function inPage({ texts, inputs, batchMs }, perCall) {
  const now = () => performance.now();
  const t0 = now();
  const response = await fetch('./engine/adf_troubleshooter_bg.wasm');
  const bytes = await response.arrayBuffer();
  const t1 = now();
  await WebAssembly.compile(bytes);
  const t2 = now();
  // The popup page has started the same module already; its first diagnosis is still to come
  // and includes the start-up work inside the engine (knowledge JSON parsed, index built).
  const engine = await import('./engine/adf_troubleshooter.js');
  await engine.default();
  const t3 = now();
  engine.explain('ErrorCode=InvalidGatewayKey');
  const t4 = now();
  const queries = texts.map((text) => perCall(() => engine.explain(text), { batchMs, now }));
  const sizes = {};
  for (const [name, text] of Object.entries(inputs)) {
    sizes[name] = perCall(() => engine.explain(text), { batchMs, now, batches: text.length > 1e6 ? 3 : 9 });
  }
  return {
    timerResolutionMs: (() => { let a = now(), b; do { b = now(); } while (b === a); return b - a; })(),
    fetchMs: t1 - t0,
    compileMs: t2 - t1,
    firstExplainMs: t4 - t3,
    queries,
    sizes,
    userAgent: navigator.userAgent,
  };
}

/** A CDP session on the worker target, through the page's session (non-flattened mode). */
async function attachToWorker(cdp) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  if (!target) throw new Error('no extension service worker target');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let nextId = 1;
  const pending = new Map();
  const listener = ({ sessionId: from, message }) => {
    if (from !== sessionId) return;
    const reply = JSON.parse(message);
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.error) waiter.reject(new Error(`${waiter.method}: ${reply.error.message}`));
    else waiter.resolve(reply.result);
  };
  cdp.on('Target.receivedMessageFromTarget', listener);
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject, method });
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
  });
  const detach = async () => {
    cdp.off('Target.receivedMessageFromTarget', listener);
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
  };
  return { send, detach };
}

/**
 * What reading from the extension's package costs the worker, apart from everything else: the
 * engine's wasm and a small file, each fetched whole by the running worker, medians of 9.
 */
async function workerFetches(cdp) {
  const worker = await attachToWorker(cdp);
  try {
    const { result } = await worker.send('Runtime.evaluate', {
      awaitPromise: true,
      returnByValue: true,
      expression: `(async () => {
        const timed = async (path) => {
          const runs = [];
          let bytes = 0;
          for (let i = 0; i < 9; i++) {
            const t0 = performance.now();
            bytes = (await (await fetch(chrome.runtime.getURL(path))).arrayBuffer()).byteLength;
            runs.push(performance.now() - t0);
          }
          return { bytes, ms: runs.sort((a, b) => a - b)[4] };
        };
        return { wasm: await timed('engine/adf_troubleshooter_bg.wasm'), small: await timed('manifest.json') };
      })()`,
    });
    return result.value;
  } finally {
    await worker.detach();
  }
}

/** The worker's JS heap (after a GC) and its wasm linear memory. */
async function workerMemory(cdp) {
  const worker = await attachToWorker(cdp);
  try {
    await worker.send('HeapProfiler.enable');
    await worker.send('HeapProfiler.collectGarbage');
    const heap = await worker.send('Runtime.getHeapUsage');
    const proto = await worker.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
    const { objects } = await worker.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
    const { result } = await worker.send('Runtime.callFunctionOn', {
      objectId: objects.objectId,
      functionDeclaration: 'function () { return this.reduce((sum, m) => sum + m.buffer.byteLength, 0); }',
      returnByValue: true,
    });
    return { jsHeapUsed: heap.usedSize, jsHeapTotal: heap.totalSize, wasmMemory: result.value };
  } finally {
    await worker.detach();
  }
}

/** Runs in the same extension page after the engine's loop: MiniSearch (its UMD build, evaluated
 * in the page beforehand) indexes the peers' documents, then each text is timed as the engine's. */
function miniSearchInPage({ texts, documents, options, batchMs }, perCall) {
  const now = () => performance.now();
  const index = new globalThis.MiniSearch(options);
  index.addAll(documents);
  return texts.map((text) => perCall(() => index.search(text), { batchMs, now }));
}

export async function browserBench({ extension, evalTexts, inputs, miniSearch, smallKnowledgeDist = null, batchMs = 5, log = () => {} }) {
  const browser = await launch({ extension });
  const { context, extensionId } = browser;
  await routePortalPages(context);
  const out = { extensionId };
  try {
    // 1. The engine as wasm in an extension page (the popup's page, as the popup runs it).
    log('wasm in an extension page');
    const extPage = await context.newPage();
    await extPage.goto(`chrome-extension://${extensionId}/popup.html`);
    const expression = `(${inPage.toString()})(${JSON.stringify({ texts: evalTexts, inputs, batchMs })}, ${perCallMs.toString()})`;
    out.wasm = await extPage.evaluate(expression);
    // The docs search in the same page, on the same texts: the runtime the extension answers in.
    if (miniSearch) {
      log('MiniSearch in the same extension page');
      await extPage.evaluate(miniSearch.source);
      const args = { texts: evalTexts, documents: miniSearch.documents, options: miniSearch.options, batchMs };
      out.miniSearchQueries = await extPage.evaluate(`(${miniSearchInPage.toString()})(${JSON.stringify(args)}, ${perCallMs.toString()})`);
    }

    // 2. Content script on a 10,000-element portal page vs the same page where it does not run
    // (example.com), with and without non-error notifications (regions the bridge tracks).
    log('content script cost');
    await settle(context);
    const portal = await measureBursts(context, PAGE_URL);
    const baseline = await measureBursts(context, BASELINE_URL, { contentScript: false });
    const plain = await measureBursts(context, PLAIN_URL);
    const plainBaseline = await measureBursts(context, PLAIN_BASELINE_URL, { contentScript: false });
    const portalProfile = await profileBursts(portal);
    const plainProfile = await profileBursts(plain);
    out.content = {
      nodes: portal.nodes,
      loadScriptMs: portal.afterLoad,
      baselineLoadScriptMs: baseline.afterLoad,
      burstScriptMs: portal.bursts,
      baselineBurstScriptMs: baseline.bursts,
      plainNodes: plain.nodes,
      plainLoadScriptMs: plain.afterLoad,
      plainBaselineLoadScriptMs: plainBaseline.afterLoad,
      plainBurstScriptMs: plain.bursts,
      plainBaselineBurstScriptMs: plainBaseline.bursts,
      profile: portalProfile,
      plainProfile,
    };
    for (const p of [baseline, plain, plainBaseline]) await p.page.close();

    // 3. Service worker: cold start to first answer, from the content script's own world.
    log('service worker cold start and memory');
    const first = question(evalTexts[0]);
    const cold = await coldStarts({ context, extensionId, page: portal, controlPage: extPage, message: first, runs: COLD_RUNS, marks: true });
    const { send, swCdp } = cold;
    const warm = [];
    // The last cold start's worker has answered once.
    const memoryFirst = await workerMemory(swCdp);
    for (let i = 0; i < 10; i++) warm.push(await send(first));
    for (const text of evalTexts) await send({ type: 'explain', text });
    const memoryAfterEval = await workerMemory(swCdp);
    const fetches = await workerFetches(swCdp);
    out.worker = {
      coldFirstAnswerMs: cold.runs.map((r) => r.ms),
      answered: cold.runs.every((r) => r.answered),
      // Each cold start's steps, from the worker's own clock: the browser starting the worker
      // (message sent to the worker's time origin), the worker's start to the engine ready
      // (module load, wasm fetch + compile + instantiate, team rules), then to the reply.
      coldSteps: cold.runs.map(({ toWorkerStartMs, toEngineReadyMs, toReplyMs }) => ({ toWorkerStartMs, toEngineReadyMs, toReplyMs })),
      warmAnswerMs: warm.map((r) => r.ms),
      memory: { afterFirstAnswer: memoryFirst, afterEvalSet: memoryAfterEval },
      fetches,
    };
    out.content.medianBurstDeltaMs = median(portal.bursts) - median(baseline.bursts);
    out.content.plainMedianBurstDeltaMs = median(plain.bursts) - median(plainBaseline.bursts);
  } finally {
    await browser.close();
  }
  log('a minimal extension\'s cold start');
  out.worker.minimalExtensionColdMs = await minimalExtensionColdStarts();
  if (smallKnowledgeDist) {
    log('the extension over one article\'s knowledge: cold start');
    out.worker.smallKnowledgeColdMs = await separateColdStarts({
      extension: smallKnowledgeDist, controlPath: 'popup.html', url: PAGE_URL, message: question(evalTexts[0]), routed: true, settle: true,
    });
  }
  return out;
}

const COLD_RUNS = 15;
const question = (text) => ({ type: 'explain', text });

/**
 * Stops the extension's worker (CDP `ServiceWorker.stopAllWorkers`, through `controlPage`, an
 * extension page that keeps the extension's process alive as an open popup or options page
 * does) and times `message` from the content script's world on `page`, `runs` times. With
 * `marks`, each run also reads the worker's own clock afterwards: its time origin and the
 * engine's User Timing mark.
 */
async function coldStarts({ context, extensionId, page, controlPage, message, runs, marks = false }) {
  const isolated = page.contexts.find((c) => c.auxData?.type === 'isolated' && c.origin === `chrome-extension://${extensionId}`)
    ?? page.contexts.find((c) => c.auxData?.type === 'isolated');
  if (!isolated) throw new Error('the content script world was not found');
  const swCdp = await context.newCDPSession(controlPage);
  await swCdp.send('ServiceWorker.enable');
  let running = 'unknown';
  swCdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    const ours = versions.find((v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`));
    if (ours) running = ours.runningStatus;
  });
  const stopWorker = async () => {
    await swCdp.send('ServiceWorker.stopAllWorkers');
    for (let i = 0; i < 100 && running !== 'stopped'; i++) await sleep(20);
    if (running !== 'stopped') throw new Error(`worker did not stop (${running})`);
    await sleep(200);
  };
  const send = async (sent) => {
    const { result, exceptionDetails } = await page.cdp.send('Runtime.evaluate', {
      contextId: isolated.id,
      awaitPromise: true,
      returnByValue: true,
      expression: `new Promise((resolve) => {
        const t0 = performance.now();
        chrome.runtime.sendMessage(${JSON.stringify(sent)}, (reply) => {
          void chrome.runtime.lastError;
          const t1 = performance.now();
          resolve({ ms: t1 - t0, sentAt: performance.timeOrigin + t0, repliedAt: performance.timeOrigin + t1, answered: Boolean(reply?.result?.matches) });
        });
      })`,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  };
  const workerClock = async () => {
    const worker = await attachToWorker(swCdp);
    try {
      const { result } = await worker.send('Runtime.evaluate', {
        expression: `JSON.stringify({ origin: performance.timeOrigin, ready: performance.getEntriesByName('adf-troubleshooter:engine-ready')[0]?.startTime })`,
        returnByValue: true,
      });
      return JSON.parse(result.value);
    } finally {
      await worker.detach();
    }
  };
  const out = [];
  for (let i = 0; i < runs; i++) {
    await stopWorker();
    const run = await send(message);
    if (marks) {
      const { origin, ready } = await workerClock();
      Object.assign(run, { toWorkerStartMs: origin - run.sentAt, toEngineReadyMs: ready, toReplyMs: run.repliedAt - origin });
    }
    out.push(run);
  }
  return { runs: out, send, swCdp };
}

/**
 * The floor any extension pays: the cold start of a minimal extension's module worker that
 * answers every message at once, asked the same way from its content script on a portal page.
 */
async function minimalExtensionColdStarts() {
  const dir = mkdtempSync(join(tmpdir(), 'adf-bench-minimal-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: 'Minimal', version: '1.0',
    background: { service_worker: 'worker.js', type: 'module' },
    content_scripts: [{ matches: ['https://portal.azure.com/*'], js: ['content.js'] }],
  }));
  writeFileSync(join(dir, 'worker.js'), 'chrome.runtime.onMessage.addListener((message, sender, reply) => { reply({ result: { matches: [] } }); });\n');
  writeFileSync(join(dir, 'content.js'), '');
  writeFileSync(join(dir, 'page.html'), '<!doctype html><title>Minimal</title>');
  try {
    return await separateColdStarts({ extension: dir, controlPath: 'page.html', url: 'https://portal.azure.com/', message: question('x') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Cold starts of another extension in a browser of its own, asked as the main one's are: a page
 * of its own (`controlPath`) keeps its process alive, and its content script on `url` asks.
 * With `settle`, one cold start goes first, uncounted, and a pause: the first start after the
 * install also installs (menus, storage), and a start right after it was once found warm.
 */
async function separateColdStarts({ extension, controlPath, url, message, routed = false, settle = false }) {
  const browser = await launch({ extension });
  try {
    const { context, extensionId } = browser;
    if (routed) await routePortalPages(context);
    const controlPage = await context.newPage();
    await controlPage.goto(`chrome-extension://${extensionId}/${controlPath}`);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const contexts = [];
    cdp.on('Runtime.executionContextCreated', ({ context: c }) => contexts.push(c));
    await cdp.send('Runtime.enable');
    await page.goto(url, { waitUntil: 'load' });
    await sleep(1000);
    const asked = { context, extensionId, page: { cdp, contexts }, controlPage, message };
    if (settle) {
      await coldStarts({ ...asked, runs: 1 });
      await sleep(1000);
    }
    const { runs } = await coldStarts({ ...asked, runs: COLD_RUNS });
    if (!runs.every((r) => r.answered)) throw new Error(`${extension} did not answer`);
    return runs.map((r) => r.ms);
  } finally {
    await browser.close();
  }
}
