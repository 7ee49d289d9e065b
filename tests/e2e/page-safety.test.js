// The extension must never hurt the page it runs on: no errors of its own in the page, and no
// card over the page's own controls. (The 30-second stress run is in stress.test.js.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser } from './with-browser.js';

const browser = withBrowser();

/** In a frame: the page's own controls that a card overlaps, or that are not on top at their centre. */
function coveredControls() {
  const hosts = [...document.querySelectorAll('[data-adf-troubleshooter]')].map((host) => host.getBoundingClientRect());
  const controls = [...document.querySelectorAll('button, a[href], input, select, textarea, [role=button], [tabindex]')]
    .filter((control) => !control.closest('[data-adf-troubleshooter]'));
  const covered = [];
  for (const control of controls) {
    const box = control.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const overlap = hosts.some((h) => box.left < h.right && h.left < box.right && box.top < h.bottom && h.top < box.bottom);
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    if (overlap || (hit && !control.contains(hit))) covered.push(control.outerHTML.slice(0, 80));
  }
  return { covered };
}

const PAGES = [
  ['https://adf.azure.com/en/monitoring/pipelineruns', 1],
  ['https://adf.azure.com/en/monitoring/output', 1],
  ['https://web.azuresynapse.net/en/monitoring/pipelineruns', 2],
  ['https://portal.azure.com/', 2],
  ['https://portal.azure.com/iframe', 1, '#blade'],
  ['https://adf.azure.com/strict', 1],
  ['https://web.azuresynapse.net/en/home', 1],
  ['https://adf.azure.com/en/authoring/pipeline/CopyOrders', 2],
  ['https://ms-adf.azure.com/en/monitoring/pipelineruns', 1],
  ['https://portal.azure.com/infobox', 1],
  ['https://portal.azure.com/notifications', 1],
  ['https://adf.azure.com/en/monitoring/triggerruns', 1],
];

for (const [url, cards, iframe] of PAGES) {
  test(`cards never cover the page's own buttons: ${url}`, async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1600 });
    await page.goto(url);
    const frame = iframe ? await (await page.waitForSelector(iframe)).contentFrame() : page;
    await frame.waitForFunction((n) => document.querySelectorAll('[data-adf-troubleshooter]').length === n, cards);
    assert.deepEqual((await frame.evaluate(coveredControls)).covered, []);
    // Collapsed cards (toasts) opened: they grow, and still cover nothing.
    await frame.evaluate(() => {
      for (const host of document.querySelectorAll('[data-adf-troubleshooter]')) {
        const toggle = host.shadowRoot.querySelector('.toggle');
        if (toggle.getAttribute('aria-expanded') === 'false') toggle.click();
      }
    });
    assert.deepEqual((await frame.evaluate(coveredControls)).covered, []);
    await page.close();
  });
}

test('an error thrown in the content script is caught and attributed to the extension', async () => {
  // Proves the error watch above sees the content script's own world, which page listeners cannot.
  const page = await browser.open('https://adf.azure.com/en/monitoring/output');
  await page.waitForSelector('[data-adf-troubleshooter]');
  const cdp = await browser.context.newCDPSession(page);
  const worlds = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
  await cdp.send('Runtime.enable');
  const contentScript = worlds.find((c) => c.origin === `chrome-extension://${browser.extensionId}`);
  await cdp.send('Runtime.evaluate', {
    contextId: contentScript.id,
    expression: 'setTimeout(() => AdfCardView.create(null)); Promise.resolve().then(() => AdfCardView.create(undefined))',
  });
  await page.waitForTimeout(300);
  const errors = browser.takeErrors();
  assert.equal(errors.length, 2, JSON.stringify(errors));
  assert.ok(errors.every((e) => e.fromExtension), 'the error and the rejection are both the extension\'s');
  assert.ok(errors.some((e) => e.stack.includes('/shared/card-view.js')), 'with the file in the stack');
  await page.close();
});
