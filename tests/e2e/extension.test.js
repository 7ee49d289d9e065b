// End-to-end: the built extension in Debian Chromium on offline copies of the real pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCards, cliBestMatch, dist } from './harness.js';
import { withBrowser } from './with-browser.js';

const browser = withBrowser(async () => {
  // Record every fetch the worker makes from now on (the engine's wasm was fetched when the
  // worker started; the tests' answers, cards and copies come after).
  await browser.worker.evaluate(() => {
    const original = self.fetch.bind(self);
    self.__fetched = [];
    self.fetch = (resource, init) => {
      self.__fetched.push(String(resource?.url ?? resource));
      return original(resource, init);
    };
  });
});

const waitForCards = (page, count, scope = 'document') =>
  page.waitForFunction(
    ([n, s]) => (s === 'document' ? document : document.querySelector(s))
      ?.querySelectorAll('[data-adf-troubleshooter]').length === n,
    [count, scope],
    { timeout: 10_000 },
  );

test('ADF monitoring: a card appears in the error dialog that opens after load', async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns?factory=contoso');
  await waitForCards(page, 1);
  const [card] = await readCards(page);
  const details = await page.evaluate(() => document.querySelector('.details').textContent);
  const best = cliBestMatch(details.replace(/^/, 'Error code\n2200\nFailure type\nUser configuration issue\nDetails\n'));
  assert.equal(card.id, best.id, 'the extension and the CLI pick the same entry');
  assert.equal(card.source, best.source, "the Learn link is the entry's source");
  assert.equal(card.sourceTarget, '_blank');
  assert.match(card.confidence, /High confidence/);
  assert.ok(card.steps >= 2, 'numbered resolution steps');
  assert.ok(card.facts.some((f) => f.includes('AzureBlobFailedToCreateContainer')), `facts: ${card.facts}`);
  assert.ok(card.facts.includes('Sink'));
  assert.equal(card.parentRole, 'dialog', 'the card sits inside the error dialog');
  const closeStillClickable = await page.evaluate(() => {
    const button = document.getElementById('close-dialog');
    const box = button.getBoundingClientRect();
    return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === button;
  });
  assert.ok(closeStillClickable, "the card never covers the page's own buttons");
  await page.close();
});

test('re-rendering the same error keeps one card; removing it removes the card', async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await waitForCards(page, 1);
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => window.showDialog(window.defaultDetails));
    await page.waitForTimeout(150);
  }
  await waitForCards(page, 1);
  await page.waitForTimeout(600);
  assert.equal((await readCards(page)).length, 1, 'still exactly one card after re-renders');
  await page.evaluate(() => document.getElementById('dialog-layer').replaceChildren());
  await waitForCards(page, 0);
  await page.evaluate(() => window.showDialog('Operation on target X failed: everything is fine, no error code here'));
  await page.waitForTimeout(800);
  assert.equal((await readCards(page)).length, 0, 'no card for an unknown error');
  await page.close();
});

test('a dialog that exists hidden gets its card when a class change shows it', async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await waitForCards(page, 1);
  await page.evaluate(() => {
    document.getElementById('dialog-layer').replaceChildren();
    const layer = document.createElement('div');
    layer.className = 'hidden-layer';
    layer.style.display = 'none';
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    dialog.textContent = 'Error code 2200 Failure type User configuration issue Details The Authentication key is invalid or empty.';
    layer.append(dialog);
    document.body.append(layer);
  });
  await waitForCards(page, 0);
  await page.waitForTimeout(500);
  assert.equal((await readCards(page)).length, 0, 'no card while the dialog is hidden');
  await page.evaluate(() => { document.querySelector('.hidden-layer').style.display = 'block'; });
  await waitForCards(page, 1);
  assert.equal((await readCards(page))[0].id, 'shir-auth-key-invalid-after-public-access-disabled');
  await page.close();
});

test("an error's text rewritten in place (no node added) updates its card", async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await waitForCards(page, 1);
  assert.notEqual((await readCards(page))[0].id, 'shir-auth-key-invalid-after-public-access-disabled');
  // Past the scans that placing the card scheduled (with the shadow-root search's, 2 s on):
  // what follows is the page's only change.
  await page.waitForTimeout(2600);
  // Template bindings (Angular's, React's) set a text node's data: a characterData mutation only.
  await page.evaluate(() => {
    document.querySelector('.details').firstChild.data = 'The Authentication key is invalid or empty.';
  });
  await page.waitForFunction(
    () => document.querySelector('[data-adf-troubleshooter]')?.getAttribute('data-adf-troubleshooter') === 'shir-auth-key-invalid-after-public-access-disabled',
    null,
    { timeout: 10_000 },
  );
  await page.waitForTimeout(600);
  assert.equal((await readCards(page)).length, 1, 'the card replaced, not doubled');
  await page.close();
});

test('activity output JSON gets a card right after the viewer', async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/output');
  await waitForCards(page, 1);
  const [card] = await readCards(page);
  assert.match(card.id, /sql/);
  const placement = await page.evaluate(() => document.querySelector('[data-adf-troubleshooter]').previousElementSibling.tagName);
  assert.equal(placement, 'PRE');
  await page.close();
});

test('Synapse Studio: dialog card and a collapsed toast card, in a dark page', async () => {
  const page = await browser.open('https://web.azuresynapse.net/en/monitoring/pipelineruns?workspace=contoso');
  await waitForCards(page, 2);
  const cards = await readCards(page);
  const dialog = cards.find((c) => c.parentId === 'error-dialog');
  assert.equal(dialog.id, 'shir-register-key-private-link');
  assert.equal(dialog.collapsed, false);
  const toast = cards.find((c) => c.previousId === 'toast');
  assert.equal(toast.id, 'dataflow-cluster-out-of-memory');
  assert.equal(toast.collapsed, true, 'toast cards start collapsed');
  const theme = await page.evaluate(() => document.querySelector('[data-adf-troubleshooter]').getAttribute('data-theme'));
  assert.equal(theme, 'dark');
  await page.close();
});

test('Azure portal: error toast and blade banner get cards, a success toast does not', async () => {
  const page = await browser.open('https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/x');
  await waitForCards(page, 2);
  const cards = await readCards(page);
  assert.ok(cards.some((c) => c.parentId === 'error-toast' && c.id === 'cmk-delete-internal-error'));
  assert.ok(cards.some((c) => c.previousId === 'banner' && c.id === 'shir-auth-key-invalid-after-public-access-disabled'));
  assert.ok(!cards.some((c) => c.parentId === 'toast'));
  await page.close();
});

// [what, page, iframe, the element the card follows]
const FRAMES = [
  ['portal extension iframe at a reactblade host', 'https://portal.azure.com/iframe', '#blade', null],
  ['a Fluent callout in a same-origin studio iframe', 'https://adf.azure.com/en/monitoring/embedded', '#view', 'callout'],
];
for (const [what, url, iframe, previousId] of FRAMES) {
  test(`${what} gets its card in the frame`, async () => {
    const page = await browser.open(url);
    const frame = await (await page.waitForSelector(iframe)).contentFrame();
    await waitForCards(frame, 1);
    const [card] = await readCards(frame);
    assert.equal(card.id, 'shir-auth-key-invalid-after-public-access-disabled');
    if (previousId) assert.equal(card.previousId, previousId);
    await page.close();
  });
}

test('strict CSP and Trusted Types: the card still appears, styled, and page markup stays text', async () => {
  const page = await browser.open('https://adf.azure.com/strict');
  await waitForCards(page, 1);
  const [card] = await readCards(page);
  assert.equal(card.borderLeft, '4px', 'the card is styled under style-src self');
  assert.equal(card.images, 0);
  assert.ok(card.facts.some((f) => f.includes('<img src=x onerror')), 'the activity name is shown as text');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing from the error text executed');
  await page.close();
});

test('keyboard: the card is focusable and Esc dismisses it', async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/output');
  await waitForCards(page, 1);
  await page.evaluate(() => document.querySelector('[data-adf-troubleshooter]').shadowRoot.querySelector('.card').focus());
  await page.keyboard.press('Escape');
  await waitForCards(page, 0);
  await page.waitForTimeout(600);
  assert.equal((await readCards(page)).length, 0, 'a dismissed card stays dismissed');
  await page.close();
});

test('a page outside the listed hosts gets nothing', async () => {
  const page = await browser.open('https://example.com/');
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => Boolean(globalThis.AdfCardView)), false);
  await page.close();
});

test('popup: paste an error, get the card with the evidence highlighted', async () => {
  const page = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  await page.click('#explain');
  assert.match(await page.textContent('#status'), /Paste an error/);
  await page.fill('#error-text', 'hello, nothing to see');
  await page.click('#explain');
  assert.match(await page.textContent('#status'), /No known match/);
  const text = 'Node SHIR-02: the error code is: InvalidGatewayKey, activityId is: 1 and detailed error message is Client IP address isn\'t valid private ip';
  await page.fill('#error-text', text);
  await page.click('#explain');
  await waitForCards(page, 1, '#result');
  const [card] = await readCards(page, '#result');
  assert.equal(card.source, cliBestMatch(text).source);
  const marks = await page.$$eval('#evidence-text mark', (list) => list.map((m) => m.textContent));
  assert.ok(marks.some((m) => m.includes('InvalidGatewayKey')), `marks: ${marks}`);
  assert.ok(marks.some((m) => m.startsWith("Client IP address isn't valid private ip")));
  assert.equal(await page.textContent('#evidence-text'), text, 'highlighting keeps the text intact');
  await page.close();
});

test('copy buttons put the card on the clipboard, as plain text and as Markdown, on a page and in the popup', async () => {
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://adf.azure.com' });
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns?factory=contoso');
  await waitForCards(page, 1);
  const [card] = await readCards(page);
  // The card's text is built by the engine when a button is pressed (a message to the worker).
  // The clipboard is the browser's: read and cleared through the page, which may.
  const copied = async (target, button) => {
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await target.click(`[data-adf-troubleshooter] >> css=${button}`);
    await target.waitForFunction(() => document.querySelector('[data-adf-troubleshooter]').shadowRoot
      .querySelector('.copied').textContent !== '', null, { timeout: 10_000 });
    const status = await target.evaluate(() => document.querySelector('[data-adf-troubleshooter]').shadowRoot.querySelector('.copied').textContent);
    assert.equal(status, 'Copied');
    return page.evaluate(() => navigator.clipboard.readText());
  };
  const plain = await copied(page, '.copy-text');
  assert.ok(plain.startsWith(`${card.title}\n${card.confidence}`), plain);
  assert.match(plain, /\n1\. /, 'numbered steps');
  assert.ok(plain.endsWith(`Source: ${card.source}\n`), plain);
  const markdown = await copied(page, '.copy-markdown');
  assert.ok(markdown.startsWith(`### ${card.title}\n`), markdown);
  assert.match(markdown, /\n\*\*How to fix it\*\*\n1\. /);

  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  const text = 'Node SHIR-02: the error code is: InvalidGatewayKey, detailed error message is Client IP address isn\'t valid private ip';
  await popup.fill('#error-text', text);
  await popup.click('#explain');
  await waitForCards(popup, 1, '#result');
  const [shown] = await readCards(popup, '#result');
  const fromPopup = await copied(popup, '.copy-markdown');
  assert.ok(fromPopup.startsWith(`### ${shown.title}\n`), fromPopup);
  assert.ok(fromPopup.endsWith(`Source: ${cliBestMatch(text).source}\n`), fromPopup);
  await popup.close();
  await page.close();
});

test("popup: lists the page's errors with cards; choosing one brings that card into view, open", async () => {
  const page = await browser.open('https://web.azuresynapse.net/en/monitoring/pipelineruns?workspace=contoso');
  await waitForCards(page, 2);
  // The page's tab, as the context menu hands it to the window it opens (the toolbar popup asks
  // for the active tab, which is this one now).
  const tabId = await browser.worker.evaluate(() => chrome.tabs.query({ active: true, lastFocusedWindow: true }).then(([tab]) => tab.id));
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('#on-page:not([hidden])');
  const items = await popup.$$eval('#on-page-list button', (buttons) => buttons.map((b) => b.textContent));
  assert.equal(items.length, 2, JSON.stringify(items));
  const cards = await readCards(page);
  assert.ok(cards.every((card) => items.some((item) => item.startsWith(card.title))), JSON.stringify(items));
  const toast = items.findIndex((item) => item.startsWith(cards.find((c) => c.previousId === 'toast').title));
  await popup.click(`#on-page-list li:nth-child(${toast + 1}) button`);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-adf-troubleshooter]')]
    .some((host) => host.previousElementSibling?.id === 'toast' && !host.shadowRoot.querySelector('.body').hidden));
  await popup.close();
  // A page without cards (the popup over an extension page): no list.
  const plain = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  await plain.waitForTimeout(300);
  assert.equal(await plain.$eval('#on-page', (section) => section.hidden), true);
  await plain.close();
  await page.close();
});

test('context menu: the item exists and a selection opens the diagnosis', async () => {
  const exists = await browser.worker.evaluate(() => new Promise((resolve) => {
    chrome.contextMenus.update('adf-troubleshooter-explain', {}, () => resolve(!chrome.runtime.lastError));
  }));
  assert.ok(exists, 'the "Explain this error" menu item is registered');
  // Native menus cannot be clicked from the test; drive the same path the click handler takes.
  await browser.worker.evaluate(() => chrome.storage.session.set({ selection: 'ErrorCode=InternalError Internal error has occurred. while deleting the factory; the key vault with the customer-managed key was deleted' }));
  const page = await browser.open(`chrome-extension://${browser.extensionId}/popup.html?source=selection`);
  await waitForCards(page, 1, '#result');
  const [card] = await readCards(page, '#result');
  assert.equal(card.id, 'cmk-delete-internal-error');
  assert.equal(await browser.worker.evaluate(() => chrome.storage.session.get('selection').then((s) => s.selection)), undefined);
  await page.close();
});

test('the extension made no network requests', async () => {
  assert.deepEqual(browser.unexpected, []);
  // Everything the worker fetched while the tests ran came from the extension itself.
  const fetched = await browser.worker.evaluate(() => self.__fetched);
  assert.ok(Array.isArray(fetched), 'the worker that served the tests is the one recording');
  assert.deepEqual(fetched.filter((url) => !url.startsWith(`chrome-extension://${browser.extensionId}/`)), []);
});

test('no network API in the shipped code but the engine loader reading its own wasm', () => {
  const files = readdirSync(dist, { recursive: true }).filter((f) => f.endsWith('.js'));
  const NETWORK = /\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts)\s*\(/g;
  const found = [];
  for (const file of files) {
    const source = readFileSync(join(dist, file), 'utf8');
    for (const match of source.matchAll(NETWORK)) found.push(`${file}: ${match[1]}`);
  }
  // wasm-bindgen's init() fetches the module by URL, relative to the extension's own files.
  assert.deepEqual(found, ['engine/adf_troubleshooter.js: fetch']);
  for (const file of files.filter((f) => !f.startsWith('engine'))) {
    assert.doesNotMatch(readFileSync(join(dist, file), 'utf8'), /https?:\/\/[a-z]/i, `${file} names no remote host`);
  }
});

test('manifest: minimal permissions, wasm allowed, no remote code', () => {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  // The context menu hands over the selected text itself: no activeTab or scripting needed.
  assert.deepEqual(manifest.permissions.sort(), ['contextMenus', 'storage']);
  assert.equal(manifest.host_permissions, undefined);
  assert.ok(!JSON.stringify(manifest).includes('<all_urls>'));
  assert.match(manifest.content_security_policy.extension_pages, /script-src 'self' 'wasm-unsafe-eval'/);
  for (const size of ['16', '32', '48', '128']) assert.ok(readFileSync(join(dist, manifest.icons[size])).length > 0);
});

test('a pipeline named in Japanese with an & still gets its card, and so do the regions beside it', async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await waitForCards(page, 1);
  await page.evaluate(() => window.showDialog(
    'Operation on target Copy_データ & 分析パイプライン failed: Failed to get service token from ADF service with key ***, the error code is: InvalidGatewayKey, detailed error message is Client IP address isn\'t valid private ip',
  ));
  await page.waitForTimeout(400);
  await waitForCards(page, 1);
  const [card] = await readCards(page);
  assert.equal(card.id, 'shir-register-key-private-link');
  await page.close();

  // The worker answers a whole scan at once: every region of it gets its card.
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  const cards = await popup.evaluate(() => chrome.runtime.sendMessage({
    type: 'regions',
    regions: [
      { id: 1, rule: 'error-dialog', text: 'Error code\nInvalidGatewayKey\nDetails\nCopy_データ & 分析パイプライン failed' },
      { id: 2, rule: 'error-dialog', text: 'Error code 2200 Details The Authentication key is invalid or empty.' },
      { id: 3, rule: 'error-dialog', text: '&🚀&é&#x;& Error code & 分析 failed' },
    ],
  }));
  assert.deepEqual(cards.cards.map((c) => c.id).sort(), [1, 2], JSON.stringify(cards).slice(0, 300));
  await popup.close();
});
