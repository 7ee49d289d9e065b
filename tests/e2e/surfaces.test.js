// Markup families the studios and the portal are built from, none of which the surface rules
// name by class: each fixture page is written from what the framework really renders (see the
// comment at the top of each). The extension must find the error in each by its meaning (ARIA
// roles, class tokens, table headers, text signatures) and put one card in the right place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCards } from './harness.js';
import { withBrowser } from './with-browser.js';

const browser = withBrowser();

const CARD = '[data-adf-troubleshooter]';
const waitForCards = (frame, count) =>
  frame.waitForFunction(([s, n]) => document.querySelectorAll(s).length === n, [CARD, count], { timeout: 10_000 });

/** Opens a page, waits for its cards (and a little longer: nothing else may come) and reads them. */
async function cardsOn(url, count) {
  const page = await browser.open(url);
  await waitForCards(page, count);
  await page.waitForTimeout(600);
  const cards = await readCards(page);
  assert.equal(cards.length, count, JSON.stringify(cards.map((c) => [c.id, c.previousId, c.parentId])));
  return { page, cards };
}

const AUTH_KEY = 'shir-auth-key-invalid-after-public-access-disabled';

// Pages with one error: [markup, page, the element the card follows, card id, more to check].
const ONE_CARD = [
  ['Synapse notification (role=status, class "notification error", no error words)', 'https://web.azuresynapse.net/en/home?workspace=contoso', 'failed', AUTH_KEY, { collapsed: true }],
  ['Angular Material snack bar, on ms-adf.azure.com', 'https://ms-adf.azure.com/en/monitoring/pipelineruns?factory=contoso', 'snack-bar', 'dataflow-cluster-out-of-memory', { collapsed: true }],
  ['portal info box (role=status): the whole message from aria-label, not the clipped text', 'https://portal.azure.com/infobox', 'error-box', AUTH_KEY, {}],
  ['portal notifications pane: the failed item only', 'https://portal.azure.com/notifications', 'failed-item', 'cmk-delete-internal-error', {}],
  ['a details panel drawn as a dl, found only by its text (needs high)', 'https://adf.azure.com/en/monitoring/triggerruns?factory=contoso', 'details', 'shir-register-key-private-link', { confidence: /High confidence/ }],
  ['activity output in the Monaco editor: after the editor', 'https://adf.azure.com/en/monitoring/output-editor', 'editor', 'sql-failed-to-connect', {}],
  ['Microsoft Fabric: a Fluent UI v9 message bar', 'https://app.fabric.microsoft.com/groups/contoso/pipelines/copy-orders?experience=data-factory', 'fabric-bar', 'sql-failed-to-connect', {}],
];
for (const [markup, url, after, id, { collapsed, confidence }] of ONE_CARD) {
  test(`${markup}: one card, right after it`, async () => {
    const { page, cards: [card] } = await cardsOn(url, 1);
    assert.equal(card.previousId, after);
    assert.equal(card.id, id);
    if (collapsed !== undefined) assert.equal(card.collapsed, collapsed, 'a small surface starts collapsed');
    if (confidence) assert.match(card.confidence, confidence);
    await page.close();
  });
}

test('Fluent UI message bar and an aria-invalid field: a card after the bar, one after the field message', async () => {
  const { page, cards } = await cardsOn('https://adf.azure.com/en/authoring/pipeline/CopyOrders?factory=contoso', 2);
  const bar = cards.find((c) => c.previousId === 'message-bar');
  assert.equal(bar?.id, 'sql-failed-to-connect', 'the card follows the whole bar, not its status line');
  const field = cards.find((c) => c.previousId === 'TextFieldDescription23');
  assert.equal(field?.id, AUTH_KEY, 'the message the field names in aria-describedby');
  // The app wrapped in an error boundary whose class says "error", holding far more than a
  // message: a layout container, not a region; the cards stay where they are.
  await page.evaluate(() => {
    const boundary = document.createElement('div');
    boundary.className = 'app-error-boundary';
    const filler = document.createElement('p');
    filler.textContent = 'Pipeline canvas. '.repeat(600);
    boundary.append(...document.body.children, filler);
    document.body.append(boundary);
  });
  await page.waitForTimeout(800);
  const after = await readCards(page);
  assert.deepEqual(after.map((c) => c.previousId).sort(), ['TextFieldDescription23', 'message-bar']);
  await page.close();
});

test('an error pane in nested open shadow roots, filled after load: the card sits inside that root', async () => {
  const page = await browser.open('https://ms.web.azuresynapse.net/en/monitoring/sparkapplications?workspace=contoso');
  const paneRoot = 'document.getElementById("details").shadowRoot.querySelector("error-pane").shadowRoot';
  await page.waitForFunction(`${paneRoot}.querySelectorAll('${CARD}').length === 1`, null, { timeout: 10_000 });
  const placed = await page.evaluate(`(() => { const host = ${paneRoot}.querySelector('${CARD}');
    return { id: host.getAttribute('data-adf-troubleshooter'), previous: host.previousElementSibling?.id,
      title: host.shadowRoot.querySelector('h2').textContent }; })()`);
  assert.equal(placed.id, 'dataflow-cluster-out-of-memory');
  assert.equal(placed.previous, 'pane', 'right after the pane, in its shadow root');
  assert.equal(await page.evaluate((s) => document.querySelectorAll(s).length, CARD), 0, 'nothing in the light DOM');
  // A web component added later, itself the shadow host: found and watched too.
  await page.evaluate(() => {
    const pane = document.createElement('error-pane');
    pane.id = 'late';
    document.body.append(pane);
    setTimeout(() => pane.show('Activity failed', 'Failed to get service token from ADF service with key ***, the error code is: InvalidGatewayKey, detailed error message is Client IP address isn\'t valid private ip'), 300);
  });
  await page.waitForFunction((s) => document.getElementById('late').shadowRoot.querySelector(s)
    ?.getAttribute('data-adf-troubleshooter') === 'shir-register-key-private-link', CARD, { timeout: 10_000 });
  await page.close();
});

test('200-row runs list: one compact badge per failed row, each error diagnosed once, badges leave with their rows', async () => {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  const worlds = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
  await cdp.send('Runtime.enable');
  await page.goto('https://adf.azure.com/en/monitoring/pipelineruns/list?factory=contoso');
  await waitForCards(page, 60);
  const badges = () => page.evaluate((s) => [...document.querySelectorAll(s)].map((host) => ({
    id: host.getAttribute('data-adf-troubleshooter'),
    compact: host.hasAttribute('data-compact'),
    row: host.closest('[role=row]').id,
    column: host.parentElement.getAttribute('aria-colindex'),
    open: !host.shadowRoot.querySelector('.body').hidden,
    confidence: host.shadowRoot.querySelector('.confidence').textContent,
  })), CARD);
  const list = await badges();
  assert.ok(list.every((b) => b.compact && !b.open && b.column === '5' && b.confidence), JSON.stringify(list[0]));
  assert.equal(new Set(list.map((b) => b.row)).size, 60, 'at most one badge per row');
  assert.ok(list.every((b) => Number(b.row.slice(4)) % 10 < 3), 'only the failed rows');
  // The cell shows the message clipped; its title has the whole, which decides the card.
  assert.deepEqual([...new Set(list.map((b) => b.id))].sort(),
    ['blob-public-endpoint-from-managed-vnet', 'dataflow-cluster-out-of-memory', 'shir-register-key-private-link']);

  // The list re-rendered: 60 failed rows, three different errors, three questions to the worker.
  const contentScript = worlds.find((c) => c.origin === `chrome-extension://${browser.extensionId}`);
  const inContentScript = async (expression) =>
    (await cdp.send('Runtime.evaluate', { contextId: contentScript.id, expression, returnByValue: true })).result.value;
  await inContentScript(`{ const send = chrome.runtime.sendMessage.bind(chrome.runtime); globalThis.asked = [];
    chrome.runtime.sendMessage = (message, ...rest) => { if (message.type === 'regions') globalThis.asked.push(...message.regions.map((r) => r.rule)); return send(message, ...rest); }; }`);
  await page.evaluate(() => window.render());
  await waitForCards(page, 60);
  await page.waitForTimeout(600);
  assert.deepEqual(await inContentScript('globalThis.asked'), ['error-column', 'error-column', 'error-column']);

  // The popup over this page lists each problem once, with how often it is shown.
  const tabId = await browser.worker.evaluate(() => chrome.tabs.query({ active: true, lastFocusedWindow: true }).then(([tab]) => tab.id));
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
  await popup.waitForSelector('#on-page:not([hidden])');
  const items = await popup.$$eval('#on-page-list button', (buttons) => buttons.map((b) => b.textContent));
  assert.equal(items.length, 3, JSON.stringify(items));
  assert.ok(items.every((item) => item.endsWith(', 20 times)')), JSON.stringify(items));
  await popup.close();

  // A badge opens into the full card.
  await page.evaluate((s) => document.querySelector(s).shadowRoot.querySelector('.toggle').click(), CARD);
  const [first] = await badges();
  assert.equal(first.open, true);

  // Rows leave the DOM (the list paged down to 10 rows): their badges go with them.
  await page.evaluate(() => window.render(10));
  await waitForCards(page, 3);
  await page.close();
});

for (const host of ['sandbox-1.reactblade-ms.portal.azure.net', 'sandbox-1.reactblade-rc.portal.azure.net']) {
  test(`portal blade frames on ${host.split('.')[1]} get cards`, async () => {
    const page = await browser.open(`https://${host}/blade/error.html`);
    await waitForCards(page, 1);
    assert.equal((await readCards(page))[0].id, AUTH_KEY);
    await page.close();
  });
}
