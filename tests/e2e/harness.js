// Launches Debian Chromium with the built extension and serves the fixture pages at their real
// addresses, offline. Every request that is not a fixture is recorded as unexpected.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const dist = join(root, 'dist');
const fixtures = join(root, 'tests', 'fixtures');

/** URL (without query or hash) -> [fixture file, extra headers]. */
export const PAGES = {
  'https://adf.azure.com/en/monitoring/pipelineruns': ['adf-monitoring.html'],
  'https://adf.azure.com/en/monitoring/output': ['adf-activity-output.html'],
  'https://web.azuresynapse.net/en/monitoring/pipelineruns': ['synapse-monitoring.html'],
  'https://portal.azure.com/': ['portal-notification.html'],
  'https://portal.azure.com/iframe': ['portal-iframe.html'],
  'https://datafactory.reactblade.portal.azure.net/blade/error.html': ['portal-iframe-blade.html'],
  'https://adf.azure.com/strict': ['strict-csp.html', {
    'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; require-trusted-types-for 'script'; trusted-types 'none'",
  }],
  'https://adf.azure.com/strict-csp.js': ['strict-csp.js'],
  // Markup families the studios and the portal are built from (see each file's comment).
  'https://web.azuresynapse.net/en/home': ['synapse-notification.html'],
  'https://adf.azure.com/en/authoring/pipeline/CopyOrders': ['fluent-message-bar.html'],
  'https://ms-adf.azure.com/en/monitoring/pipelineruns': ['material-snack-bar.html'],
  'https://ms.web.azuresynapse.net/en/monitoring/sparkapplications': ['shadow-root.html'],
  'https://adf.azure.com/en/monitoring/pipelineruns/list': ['runs-list.html'],
  'https://portal.azure.com/infobox': ['portal-info-box.html'],
  'https://portal.azure.com/notifications': ['portal-notifications-pane.html'],
  'https://adf.azure.com/en/monitoring/triggerruns': ['dl-dialog.html'],
  'https://adf.azure.com/en/monitoring/output-editor': ['monaco-output.html'],
  'https://app.fabric.microsoft.com/groups/contoso/pipelines/copy-orders': ['fabric-pipeline.html'],
  'https://adf.azure.com/en/monitoring/embedded': ['same-origin-iframe.html'],
  'https://adf.azure.com/en/monitoring/embedded-frame': ['same-origin-iframe-frame.html'],
  'https://sandbox-1.reactblade-ms.portal.azure.net/blade/error.html': ['portal-iframe-blade.html'],
  'https://sandbox-1.reactblade-rc.portal.azure.net/blade/error.html': ['portal-iframe-blade.html'],
  'https://example.com/': null,
};

/**
 * `extension`: the unpacked extension to load; the benchmarks pass a snapshot of dist/, the
 * policy test a copy with a fixed key. `args`: more browser flags; `env`: more environment
 * (`LANGUAGE=de`: Chromium on Linux takes its UI language from there).
 */
export async function launch({ extension = dist, args = [], env = {} } = {}) {
  if (!existsSync(join(extension, 'manifest.json'))) throw new Error(`${extension} is missing: run ./build.sh first`);
  const profile = mkdtempSync(join(tmpdir(), 'adf-troubleshooter-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: false,
    env: { ...process.env, ...env },
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${extension}`, `--load-extension=${extension}`, ...args,
    ],
  });
  const unexpected = [];
  // Uncaught errors and unhandled rejections of every page and frame, in every world: the
  // page's own and the content script's (which the page's listeners cannot see). Playwright
  // reports both through the DevTools protocol, with the stack that tells whose they are.
  let pageErrors = [];
  context.on('page', (page) => page.on('pageerror', (error) => {
    const stack = error.stack ?? '';
    pageErrors.push({ url: page.url(), message: error.message, stack, fromExtension: stack.includes('chrome-extension://') });
  }));
  const takeErrors = () => {
    const taken = pageErrors;
    pageErrors = [];
    return taken;
  };
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('chrome-extension://') || url.startsWith('data:')) return;
    if (!(url.split(/[?#]/)[0] in PAGES)) unexpected.push(url);
  });
  await context.route(/^https?:\/\//, (route) => {
    const url = route.request().url().split(/[?#]/)[0];
    const page = PAGES[url];
    if (!page) {
      if (url in PAGES) return route.fulfill({ contentType: 'text/html', body: '<!doctype html><p>plain page</p>' });
      return route.abort();
    }
    const [file, headers = {}] = page;
    return route.fulfill({
      contentType: file.endsWith('.js') ? 'text/javascript' : 'text/html',
      body: readFileSync(join(fixtures, file)),
      headers,
    });
  });
  // The browser stops and restarts the service worker; `worker` is always the latest one.
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker');
  context.on('serviceworker', (started) => { worker = started; });
  const extensionId = new URL(worker.url()).host;
  const open = async (url) => {
    const page = await context.newPage();
    await page.goto(url);
    return page;
  };
  /** Stops the extension's service worker as the browser does (CDP, through `page`). */
  const stopWorker = async (page) => {
    const cdp = await context.newCDPSession(page);
    let stopped;
    const done = new Promise((resolve) => { stopped = resolve; });
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`) && v.runningStatus === 'stopped')) stopped();
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await done;
    await cdp.detach();
  };
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return {
    context, extensionId, open, close, stopWorker, unexpected, takeErrors,
    get worker() { return worker; },
  };
}

/**
 * For afterEach: fails the test during which any page or frame had an uncaught error or an
 * unhandled rejection. The fixture pages have none of their own, so each one is either the
 * extension's (its stack is in chrome-extension://) or something its changes to the page caused.
 */
export function assertNoPageErrors(browser) {
  const errors = browser.takeErrors();
  const said = errors.map((e) => `${e.fromExtension ? 'the extension' : 'the page'} on ${e.url}: ${e.stack || e.message}`);
  assert.deepEqual(said, []);
}

/** The CLI's best match for a text (with `--rules DIR` when given): the extension and the CLI must agree. */
export function cliBestMatch(text, { rules } = {}) {
  const more = rules ? ['--rules', rules] : [];
  const out = execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'adf-troubleshooter', '--', 'explain', '--json', ...more], {
    cwd: root, input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'],
  });
  return JSON.parse(out).matches[0];
}

/** Reads a card host's shadow content as plain data, from inside the page. */
export function readCards(frame, scope = 'document') {
  return frame.evaluate((scopeSelector) => {
    const root = scopeSelector === 'document' ? document : document.querySelector(scopeSelector);
    return [...root.querySelectorAll('[data-adf-troubleshooter]')].map((host) => {
      const shadow = host.shadowRoot;
      return {
        id: host.getAttribute('data-adf-troubleshooter'),
        title: shadow.querySelector('h2')?.textContent,
        confidence: shadow.querySelector('.confidence')?.textContent,
        source: shadow.querySelector('a.source')?.href,
        sourceTarget: shadow.querySelector('a.source')?.target,
        steps: shadow.querySelectorAll('ol > li').length,
        collapsed: shadow.querySelector('.body').hidden,
        facts: [...shadow.querySelectorAll('dd')].map((dd) => dd.textContent),
        images: shadow.querySelectorAll('img, script').length,
        parentId: host.parentElement?.id ?? null,
        parentRole: host.parentElement?.getAttribute('role') ?? null,
        previousId: host.previousElementSibling?.id ?? null,
        borderLeft: getComputedStyle(shadow.querySelector('.card')).borderLeftWidth,
      };
    });
  }, scope);
}
