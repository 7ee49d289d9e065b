import { launch } from '../tests/e2e/harness.js';
import { portalPage } from './lib/portal-page.mjs';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const browser = await launch();
const html = portalPage(10_000);
const plainHtml = portalPage(10_000, { notifications: false });
await browser.context.route(/^https:\/\/(portal\.azure\.com|example\.com)\/bench\//, (route) =>
  route.fulfill({ contentType: 'text/html', body: route.request().url().includes('/bench/plain') ? plainHtml : html }));
const measure = async (url) => {
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url, { waitUntil: 'load' });
  await sleep(1500);
  const script = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration').value * 1000;
  await page.evaluate(() => window.__burst(1000));
  await sleep(700);
  const bursts = [];
  for (let i = 0; i < 7; i++) {
    const before = await script();
    await page.evaluate(() => window.__burst(1000));
    await sleep(700);
    bursts.push((await script()) - before);
  }
  await page.close();
  bursts.sort((a, b) => a - b);
  return bursts[3];
};
const out = {};
for (const [k, u] of [['portal', 'https://portal.azure.com/bench/'], ['baseline', 'https://example.com/bench/'], ['plain', 'https://portal.azure.com/bench/plain'], ['plainBaseline', 'https://example.com/bench/plain']]) out[k] = await measure(u);
console.log(JSON.stringify({ ...out, portalDelta: out.portal - out.baseline, plainDelta: out.plain - out.plainBaseline }));
await browser.close();
