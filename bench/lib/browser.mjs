// Measurements in Debian Chromium with the built extension (dist/), launched by the end-to-end
// tests' harness: the engine as wasm in an extension page, the service worker's cold start to
// first answer and its memory, and the content script's cost on a large portal page.
import { launch } from '../../tests/e2e/harness.js';
import { perCallMs } from './timing.mjs';
import {
  PAGE_URL, BASELINE_URL, PLAIN_URL, PLAIN_BASELINE_URL, routePortalPages, settle, measureBursts, profileBursts, median,
} from './content-burst.mjs';

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

export async function browserBench({ extension, evalTexts, inputs, batchMs = 5, log = () => {} }) {
  const browser = await launch({ extension });
  const { context, extensionId } = browser;
  await routePortalPages(context);
  try {
    const out = { extensionId };

    // 1. The engine as wasm in an extension page (the popup's page, as the popup runs it).
    log('wasm in an extension page');
    const extPage = await context.newPage();
    await extPage.goto(`chrome-extension://${extensionId}/popup.html`);
    const expression = `(${inPage.toString()})(${JSON.stringify({ texts: evalTexts, inputs, batchMs })}, ${perCallMs.toString()})`;
    out.wasm = await extPage.evaluate(expression);

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
    const isolated = portal.contexts.find((c) => c.auxData?.type === 'isolated' && c.origin === `chrome-extension://${extensionId}`)
      ?? portal.contexts.find((c) => c.auxData?.type === 'isolated');
    if (!isolated) throw new Error('the content script world was not found');
    const swCdp = await context.newCDPSession(extPage);
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
    const send = async (message) => {
      const { result, exceptionDetails } = await portal.cdp.send('Runtime.evaluate', {
        contextId: isolated.id,
        awaitPromise: true,
        returnByValue: true,
        expression: `new Promise((resolve) => {
          const t0 = performance.now();
          chrome.runtime.sendMessage(${JSON.stringify(message)}, (reply) => {
            void chrome.runtime.lastError;
            resolve({ ms: performance.now() - t0, answered: Boolean(reply?.result?.matches) });
          });
        })`,
      });
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      return result.value;
    };
    const question = { type: 'explain', text: evalTexts[0] };
    const cold = [], coldNoEngine = [], warm = [];
    for (let i = 0; i < 7; i++) {
      await stopWorker();
      cold.push(await send(question));
    }
    for (let i = 0; i < 7; i++) {
      await stopWorker();
      coldNoEngine.push(await send({ type: 'adf-bench-unknown-message' }));
    }
    const memoryIdle = await workerMemory(swCdp);
    await send(question);
    const memoryFirst = await workerMemory(swCdp);
    for (let i = 0; i < 10; i++) warm.push(await send(question));
    for (const text of evalTexts) await send({ type: 'explain', text });
    const memoryAfterEval = await workerMemory(swCdp);
    out.worker = {
      coldFirstAnswerMs: cold.map((r) => r.ms),
      answered: cold.every((r) => r.answered),
      coldStartNoEngineMs: coldNoEngine.map((r) => r.ms),
      warmAnswerMs: warm.map((r) => r.ms),
      memory: { idle: memoryIdle, afterFirstAnswer: memoryFirst, afterEvalSet: memoryAfterEval },
    };
    out.content.medianBurstDeltaMs = median(portal.bursts) - median(baseline.bursts);
    out.content.plainMedianBurstDeltaMs = median(plain.bursts) - median(plainBaseline.bursts);
    return out;
  } finally {
    await browser.close();
  }
}
