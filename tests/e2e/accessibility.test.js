// Accessibility: axe-core finds nothing on the cards (light and dark pages, collapsed and open),
// the popup and the options page; everything works from the keyboard; no motion when the
// reader asks for reduced motion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { withBrowser } from './with-browser.js';

const browser = withBrowser();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CARD = '[data-adf-troubleshooter]';
const ERROR = "Failed to get service token from ADF service with key ***, the error code is: InvalidGatewayKey, detailed error message is Client IP address isn't valid private ip";

/** axe-core's violations in the page, or only within `selector` (its shadow trees included). */
async function violations(page, selector) {
  // Evaluated through DevTools, so the extension pages' CSP does not stop it.
  await page.evaluate(AXE);
  return page.evaluate(async ([scope, card]) => {
    // Colours are judged when the cards' entrance animation has ended.
    const hosts = [...document.querySelectorAll(card)];
    await Promise.all(hosts.flatMap((host) => host.shadowRoot.getAnimations()).map((a) => a.finished));
    const results = await globalThis.axe.run(scope ? { include: [[scope]] } : document, { resultTypes: ['violations'] });
    return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }, [selector, CARD]);
}

async function openCards(page) {
  await page.evaluate((selector) => {
    for (const host of document.querySelectorAll(selector)) {
      const toggle = host.shadowRoot.querySelector('.toggle');
      if (toggle.getAttribute('aria-expanded') === 'false') toggle.click();
    }
  }, CARD);
}

const CARD_PAGES = [
  ['light page', 'https://adf.azure.com/en/monitoring/pipelineruns', 1],
  ['light page, toast and banner cards', 'https://portal.azure.com/', 2],
  ['dark page', 'https://web.azuresynapse.net/en/monitoring/pipelineruns', 2],
  ['page without a background, dark colour scheme', 'https://adf.azure.com/en/monitoring/output', 1, 'dark'],
  ['runs list (compact badges)', 'https://adf.azure.com/en/monitoring/pipelineruns/list', 60],
];

for (const [name, url, cards, colorScheme = 'light'] of CARD_PAGES) {
  test(`axe: no violations in the cards on a ${name}`, async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme });
    await page.goto(url);
    await page.waitForFunction(([s, n]) => document.querySelectorAll(s).length === n, [CARD, cards]);
    assert.deepEqual(await violations(page, CARD), []);
    await openCards(page);
    assert.deepEqual(await violations(page, CARD), [], 'with every card open');
    await page.close();
  });
}

for (const colorScheme of ['light', 'dark']) {
  test(`axe: no violations in the popup with a diagnosis, and the options page (${colorScheme})`, async () => {
    const popup = await browser.context.newPage();
    await popup.emulateMedia({ colorScheme });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    // A long paste, so that the evidence box scrolls.
    await popup.fill('#error-text', `${'Pipeline log line without an error\n'.repeat(30)}${ERROR}`);
    await popup.click('#explain');
    await popup.waitForSelector(`#result ${CARD}`);
    assert.deepEqual(await violations(popup), []);
    const options = await browser.context.newPage();
    await options.emulateMedia({ colorScheme });
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.waitForSelector('#entries li');
    assert.deepEqual(await violations(options), []);
    await popup.close();
    await options.close();
  });
}

test('keyboard: Tab reaches the card, Enter and Space toggle it, Esc dismisses it', async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await page.waitForSelector(CARD);
  const focused = () => page.evaluate((card) => {
    const active = document.activeElement;
    return active?.matches(card) ? `card ${active.shadowRoot.activeElement?.className}` : active?.id || active?.tagName;
  }, CARD);
  const open = () => page.evaluate((card) => {
    const root = document.querySelector(card).shadowRoot;
    return { expanded: root.querySelector('.toggle').getAttribute('aria-expanded'), hidden: root.querySelector('.body').hidden };
  }, CARD);
  let at = '';
  for (let i = 0; i < 10 && at !== 'card card'; i++) {
    await page.keyboard.press('Tab');
    at = await focused();
  }
  assert.equal(at, 'card card', 'the card itself takes focus, after the dialog\'s own buttons');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'card icon toggle');
  await page.keyboard.press('Enter');
  assert.deepEqual(await open(), { expanded: 'false', hidden: true });
  await page.keyboard.press('Space');
  assert.deepEqual(await open(), { expanded: 'true', hidden: false });
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate((card) => document.querySelectorAll(card).length, CARD), 0);
  assert.equal(await focused(), 'close-dialog', 'focus goes back to the control before the card');
  assert.equal(await page.evaluate(() => document.querySelector('[role=dialog]').isConnected), true, 'Esc in the card does not close the page\'s dialog');
  await page.close();
});

test('keyboard: the popup explains on Ctrl+Enter; the options toggle with Space', async () => {
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  assert.equal(await popup.evaluate(() => document.activeElement.id), 'error-text', 'the text box has focus on open');
  await popup.keyboard.insertText(ERROR);
  await popup.keyboard.press('Control+Enter');
  await popup.waitForSelector(`#result ${CARD}`);
  await popup.close();

  const options = await browser.open(`chrome-extension://${browser.extensionId}/options.html`);
  await options.waitForSelector('#entries li');
  await options.keyboard.press('Tab');
  assert.equal(await options.evaluate(() => document.activeElement.id), 'surface-adf');
  await options.keyboard.press('Space');
  await options.waitForFunction(() => document.getElementById('saved').textContent !== '');
  assert.equal((await browser.worker.evaluate(() => chrome.storage.sync.get('surfaces'))).surfaces.adf, false);
  await options.keyboard.press('Space');
  await options.waitForFunction(() => document.getElementById('surface-adf').checked);
  await options.close();
});

/** In a page: elements (shadow trees included) with an animation or a transition. */
function moving() {
  const all = (root) => [...root.querySelectorAll('*')].flatMap((el) => [el, ...(el.shadowRoot ? all(el.shadowRoot) : [])]);
  return all(document).filter((el) => {
    const style = getComputedStyle(el);
    return style.animationName !== 'none' || style.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
  }).map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
}

test('reduced motion: no animation or transition in cards, popup or options', async () => {
  const urls = ['https://adf.azure.com/en/monitoring/pipelineruns', `chrome-extension://${browser.extensionId}/popup.html?source=selection`,
    `chrome-extension://${browser.extensionId}/options.html`];
  for (const reducedMotion of ['no-preference', 'reduce']) {
    await browser.worker.evaluate((text) => chrome.storage.session.set({ selection: text }), ERROR);
    const found = [];
    for (const url of urls) {
      const page = await browser.context.newPage();
      await page.emulateMedia({ reducedMotion });
      await page.goto(url);
      if (!url.includes('options')) await page.waitForSelector(CARD);
      found.push(...await page.evaluate(moving));
      await page.close();
    }
    if (reducedMotion === 'reduce') assert.deepEqual(found, []);
    else assert.ok(found.includes('section.card'), `cards fade in otherwise: ${found}`);
  }
});
