// Regenerates the README's screenshots from the built extension:
//   node tests/e2e/screenshots.js   (after ./build.sh)
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './harness.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');
const browser = await launch();
try {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await page.setViewportSize({ width: 900, height: 1300 });
  await page.waitForSelector('[data-adf-troubleshooter]');
  await page.locator('.ms-Dialog-main').screenshot({ path: join(docs, 'card.png') });

  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.setViewportSize({ width: 520, height: 1000 });
  await popup.fill('#error-text', "Failed to get service token from ADF service with key *************** and time cost is: 0.1250079 second, the error code is: InvalidGatewayKey, activityId is: 7c2b1f0e-44aa-4f0b-9c1e-2d2f8f0b6a11 and detailed error message is Client IP address isn't valid private ip");
  await popup.click('#explain');
  await popup.waitForSelector('#result [data-adf-troubleshooter]');
  await popup.screenshot({ path: join(docs, 'popup.png'), fullPage: true });
} finally {
  await browser.close();
}
