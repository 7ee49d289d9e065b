// The content script's cost on a large portal page: CDP ScriptDuration per 1,000-mutation burst,
// and a CPU profile of where it goes. Used by browser.mjs (section 2 of the benchmarks) and,
// alone, by bench/burst.mjs to compare builds of the content script.
import { portalPage } from './portal-page.mjs';

export const PAGE_URL = 'https://portal.azure.com/bench/resources';
export const BASELINE_URL = 'https://example.com/bench/resources';
export const PLAIN_URL = 'https://portal.azure.com/bench/plain';
export const PLAIN_BASELINE_URL = 'https://example.com/bench/plain';
/** Bursts measured per page: the runs vary a lot on a shared machine, the median less. */
export const BURSTS = 15;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Serves the synthetic pages (10,000 elements; `plain`: without the notifications). */
export async function routePortalPages(context) {
  const html = portalPage(10_000);
  const plainHtml = portalPage(10_000, { notifications: false });
  await context.route(/^https:\/\/(portal\.azure\.com|example\.com)\/bench\//, (route) =>
    route.fulfill({ contentType: 'text/html', body: route.request().url().includes('/bench/plain') ? plainHtml : html }));
}

/**
 * Lets the browser's start-up work end before anything is measured. The worker starts its
 * engine on the first page's regions and V8 compiles the wasm further on background threads:
 * on a 2-core machine that ran alongside the first measured page's bursts, which then cost
 * about 40% more than the same bursts on the page measured after it.
 */
export async function settle(context) {
  const page = await context.newPage();
  await page.goto(PAGE_URL, { waitUntil: 'load' });
  await sleep(6000);
  await page.close();
}

/**
 * Opens `url` in a new page and measures the scripting time of `bursts` bursts after a warm-up:
 * the page's ScriptDuration delta per burst, which counts the content script's observer
 * callback and the scan it schedules, not the burst itself (run from DevTools).
 * `contentScript`: whether the content script runs on `url` (not on the baseline pages).
 */
export async function measureBursts(context, url, { bursts = BURSTS, contentScript = true } = {}) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', ({ context: c }) => contexts.push(c));
  await cdp.send('Runtime.enable');
  await page.goto(url, { waitUntil: 'load' });
  await sleep(1500); // document_idle, the bridge's rules request, first scan and reply
  const script = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'ScriptDuration').value * 1000;
  };
  const afterLoad = await script();
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  const burst = async () => {
    const before = await script();
    await page.evaluate(() => window.__burst(1000));
    await sleep(700); // past the bridge's 250 ms scan delay and its scan
    return (await script()) - before;
  };
  // Warm-up: the first callbacks compile. On a loaded machine the worker's answer to the
  // bridge's rules request can come after the 1.5 s, and the bridge watches the page only from
  // then on: on the pages where the content script runs, the warm-up lasts until a burst costs
  // it time.
  let warmUp = await burst();
  for (let i = 0; contentScript && warmUp === 0 && i < 10; i++) warmUp = await burst();
  if (contentScript) await burst();
  // Run from DevTools (Runtime.callFunctionOn), the burst itself is not in ScriptDuration: what
  // is counted is the page's other scripts, here only the content script's callbacks (the
  // baseline page, where no content script runs, shows ~0).
  const times = [];
  for (let i = 0; i < bursts; i++) times.push(await burst());
  return { page, cdp, contexts, afterLoad, nodes, bursts: times };
}

/** Where the burst time goes, by script and function: the profiler's samples, 50 µs apart. */
export async function profileBursts({ page, cdp }, { bursts = 5 } = {}) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  for (let i = 0; i < bursts; i++) {
    await page.evaluate(() => window.__burst(1000));
    await sleep(700);
  }
  const { profile } = await cdp.send('Profiler.stop');
  const byUrl = new Map();
  const byFunction = new Map();
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const fromExtension = (node) => {
    for (let at = node; at; at = parent.get(at.id)) if (at.callFrame.url.startsWith('chrome-extension://')) return true;
    return false;
  };
  for (const node of profile.nodes) {
    const self = (dt.get(node.id) ?? 0) / 1000 / bursts; // ms per burst
    const { url, functionName } = node.callFrame;
    if (!self || ['(idle)', '(program)', '(root)'].includes(functionName)) continue;
    // Built-ins (querySelectorAll, closest...) count for the script that called them.
    const ours = fromExtension(node);
    const key = ours ? 'content script (its functions and the DOM calls they make)' : 'the burst itself (page)';
    byUrl.set(key, (byUrl.get(key) ?? 0) + self);
    if (ours) {
      const name = url ? `${functionName || '(anonymous)'} (${url.split('/').pop()}:${node.callFrame.lineNumber + 1})` : `${functionName} (DOM)`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + self);
    }
  }
  return {
    byScript: [...byUrl].sort((a, b) => b[1] - a[1]),
    byFunction: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 10),
  };
}
