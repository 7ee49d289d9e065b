// Managed policy, for real: Chromium on Linux reads /etc/chromium/policies/managed/*.json at
// start, and hands `3rdparty.extensions.<id>` to that extension's chrome.storage.managed
// (checked against managed_schema.json). The extension gets a fixed id from a test key; the
// policy turns the portal off, pins the minimum confidence and pushes a team rule. Needs root
// (CI runs as root) to write the policy file, which is removed afterwards.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { launch, assertNoPageErrors, readCards } from './harness.js';
import { keyedBuild } from './test-build.js';

const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/adf-troubleshooter-e2e.json`;
const root = process.getuid?.() === 0;

const RULE = {
  id: 'contoso-gateway-refused',
  title: 'The Contoso gateway refused the runtime',
  codes: ['ContosoGatewayRefused'],
  cause: "The runtime's IP is not on the gateway's allow-list.",
  steps: ['Ask the network team to add the runtime IP to GW-17.'],
  link: 'https://wiki.contoso.com/gw-17',
};

let build;
let browser;
before(async () => {
  if (!root) return;
  build = keyedBuild();
  mkdirSync(POLICY_DIR, { recursive: true });
  writeFileSync(POLICY_FILE, JSON.stringify({
    '3rdparty': { extensions: { [build.id]: { surfaces: { portal: false }, minConfidence: 'medium', teamRules: [RULE] } } },
  }));
  browser = await launch({ extension: build.dir });
});
after(async () => {
  await browser?.close();
  rmSync(POLICY_FILE, { force: true });
  build?.remove();
});
afterEach(() => browser && assertNoPageErrors(browser));

const skip = root ? false : 'writing /etc/chromium/policies needs root';

test('the policy reaches the extension through chrome.storage.managed', { skip }, async () => {
  assert.equal(browser.extensionId, build.id, 'the key gives the fixed id');
  const worker = browser.worker;
  const managed = await worker.evaluate(async () => {
    for (let i = 0; i < 50; i++) {
      const value = await chrome.storage.managed.get(null);
      if (Object.keys(value).length) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {};
  });
  assert.equal(managed.teamRules?.[0]?.id, RULE.id);
  assert.equal(managed.surfaces?.portal, false);
});

test('a managed team rule produces a card', { skip }, async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await page.waitForSelector('[data-adf-troubleshooter]');
  await page.evaluate(() => window.showDialog('Operation on target Copy failed: ErrorCode=ContosoGatewayRefused, the gateway closed the connection'));
  await page.waitForSelector('[data-adf-troubleshooter="team:contoso-gateway-refused"]', { timeout: 10_000 });
  const card = (await readCards(page)).find((c) => c.id === 'team:contoso-gateway-refused');
  assert.equal(card.source, RULE.link);
  await page.close();
});

test('a surface the policy turns off gets no card', { skip }, async () => {
  const page = await browser.open('https://portal.azure.com/');
  await page.waitForTimeout(2000);
  assert.deepEqual(await readCards(page), []);
  await page.close();
});

test('the options page shows what the administrator set, locked', { skip }, async () => {
  const page = await browser.open(`chrome-extension://${browser.extensionId}/options.html`);
  await page.waitForSelector('#entries li');
  assert.equal(await page.$eval('#managed-note', (n) => n.hidden), false);
  assert.equal(await page.$eval('[data-setting="surfaces.portal"]', (c) => c.disabled && !c.checked), true);
  assert.equal(await page.$eval('#min-confidence', (c) => c.disabled), true);
  assert.equal(await page.$eval('[data-setting="surfaces.adf"]', (c) => c.disabled), false, 'what the policy leaves out stays the user\'s');
  const managedRule = await page.$eval(`#rules-list li[data-rule="${RULE.id}"]`, (li) => li.textContent);
  assert.match(managedRule, /set by your administrator/);
  await page.close();
});
