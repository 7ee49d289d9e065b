// The browser stops an MV3 service worker whenever it likes: after 30 s idle, and also while a
// request is in flight. Here it is stopped (CDP ServiceWorker.stopAllWorkers) while a request
// from the content script waits and while the worker is idle: every card must still appear,
// once, and the context menu must keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCards } from './harness.js';
import { withBrowser } from './with-browser.js';

const browser = withBrowser();

const PAGE = 'https://adf.azure.com/en/monitoring/pipelineruns';
const AUTH_KEY_ERROR = 'Error code 2200 Details The Authentication key is invalid or empty.';
const PRIVATE_LINK_ERROR = "Failed to get service token from ADF service with key ***, the error code is: InvalidGatewayKey, detailed error message is Client IP address isn't valid private ip";

const cardIds = async (page) => (await readCards(page)).map((card) => card.id);

const FIRST_CARD = 'blob-public-endpoint-from-managed-vnet';

async function waitForCardIds(page, ids) {
  await page.waitForFunction((expected) => {
    const hosts = [...document.querySelectorAll('[data-adf-troubleshooter]')];
    return hosts.map((host) => host.getAttribute('data-adf-troubleshooter')).join() === expected.join();
  }, ids, { timeout: 10_000 });
  await page.waitForTimeout(1000); // past a scan and a retry: nothing comes twice
  assert.deepEqual(await cardIds(page), ids);
}

async function pageWithItsCard() {
  const page = await browser.open(PAGE);
  await waitForCardIds(page, [FIRST_CARD]);
  return page;
}

// The worker answers after reading the settings; this makes the running worker's reads hang,
// so the next request stays pending until the worker is stopped (a new worker reads normally).
async function holdNextRequest() {
  await browser.worker.evaluate(() => {
    self.held = 0;
    chrome.storage.sync.get = () => {
      self.held += 1;
      return new Promise(() => {});
    };
  });
}

// Up to 15 s: right after the browser starts, the worker's first storage reads (the engine's
// team rules) can take 3 s, and longer on a busy machine.
async function whenHeld() {
  for (let i = 0; i < 300; i++) {
    if (await browser.worker.evaluate(() => self.held)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no request reached the worker');
}

test('stopped while the page asks for its rules: the card still appears, once', async () => {
  await holdNextRequest();
  const page = await browser.context.newPage();
  await page.goto(PAGE);
  await whenHeld();
  assert.deepEqual(await cardIds(page), []);
  await browser.stopWorker(page);
  await waitForCardIds(page, [FIRST_CARD]);
  await page.close();
});

test('stopped while a new error waits for its card: the card is replaced, not lost or doubled', async () => {
  const page = await pageWithItsCard();
  await holdNextRequest();
  await page.evaluate((text) => window.showDialog(text), PRIVATE_LINK_ERROR);
  await whenHeld();
  await browser.stopWorker(page);
  await waitForCardIds(page, ['shir-register-key-private-link']);
  await page.close();
});

test('stopped while idle: cards stay, and the next error wakes the worker', async () => {
  const page = await pageWithItsCard();
  await browser.stopWorker(page);
  await page.waitForTimeout(500);
  assert.deepEqual(await cardIds(page), [FIRST_CARD], 'the card outlives the worker');
  await page.evaluate((text) => window.showDialog(text), AUTH_KEY_ERROR);
  await waitForCardIds(page, ['shir-auth-key-invalid-after-public-access-disabled']);
  await page.close();
});

test('the context menu and its hand-over to the popup survive a worker restart', async () => {
  const page = await browser.open(PAGE);
  await browser.worker.evaluate(() => chrome.storage.session.set({ selection: 'ErrorCode=InternalError Internal error has occurred. while deleting the factory; the key vault with the customer-managed key was deleted' }));
  await browser.stopWorker(page);
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html?source=selection`);
  await popup.waitForSelector('#result [data-adf-troubleshooter]');
  assert.equal((await readCards(popup, '#result'))[0].id, 'cmk-delete-internal-error');
  // A worker started by an event, not by installation, still has the menu item.
  await page.evaluate((text) => window.showDialog(text), AUTH_KEY_ERROR);
  await waitForCardIds(page, ['shir-auth-key-invalid-after-public-access-disabled']);
  const exists = await browser.worker.evaluate(() => new Promise((resolve) => {
    chrome.contextMenus.update('adf-troubleshooter-explain', {}, () => resolve(!chrome.runtime.lastError));
  }));
  assert.ok(exists, 'the "Explain this error" item is still registered');
  await page.close();
  await popup.close();
});
