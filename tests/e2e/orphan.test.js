// End-to-end: when the extension is reloaded (an update does the same), the content script left
// behind in an open page lets go of it: it stops observing, schedules nothing, throws nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser } from './with-browser.js';

const browser = withBrowser();

/** The bridge's state, read in the content script's own world through CDP. */
async function bridgeState(page, session) {
  const contexts = [];
  session.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await session.send('Runtime.enable');
  // The fixture page has one frame, so one content-script world.
  const world = contexts.find((c) => c.auxData?.type === 'isolated');
  assert.ok(world, `no content-script world among ${contexts.length} contexts`);
  const { result } = await session.send('Runtime.evaluate', {
    expression: 'JSON.stringify(globalThis.__adfTroubleshooterBridge ?? null)',
    contextId: world.id,
    returnByValue: true,
  });
  await session.send('Runtime.disable');
  return JSON.parse(result.value);
}

test('after the extension reloads, the orphaned content script stops and the page is unharmed', async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await page.waitForSelector('[data-adf-troubleshooter]', { timeout: 10_000 });
  const session = await page.context().newCDPSession(page);
  assert.deepEqual(await bridgeState(page, session), { stopped: false });

  await browser.worker.evaluate(() => chrome.runtime.reload()).catch(() => {});
  // The page goes on changing; the orphan notices at its next change and lets go. The old
  // extension unloads at the browser's pace: keep changing the page until it has.
  let state;
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.waitForTimeout(500);
    await page.evaluate((n) => window.showDialog(`Operation on target X${n} failed: ErrorCode=InvalidGatewayKey`), attempt);
    await page.waitForTimeout(100);
    state = await bridgeState(page, session);
    if (state.stopped) break;
  }
  assert.deepEqual(state, { stopped: true });
  await page.evaluate(() => window.showDialog('The Authentication key is invalid or empty.'));
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => document.title.length >= 0), true, 'the page still runs');
  await page.close();
});
