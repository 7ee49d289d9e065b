// The clipboard command once its permission is granted: a copy of the build where
// clipboardRead is already granted (the shipped one asks for it on first use, see
// team-rules.test.js) opens the popup as the command does and explains what was copied.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readCards } from './harness.js';
import { withBrowser } from './with-browser.js';
import { keyedBuild } from './test-build.js';

let build;
const browser = withBrowser(async () => {}, () => {
  build = keyedBuild((manifest) => {
    manifest.permissions.push('clipboardRead');
    manifest.optional_permissions = [];
  });
  return { extension: build.dir };
});
after(() => build?.remove());

const ERROR = "Failed to get service token from ADF service with key ***, the error code is: InvalidGatewayKey, detailed error message is Client IP address isn't valid private ip";

test('with the permission, the command explains the clipboard; a plain popup never reads it', async () => {
  const copier = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  await copier.evaluate((text) => {
    const box = document.getElementById('error-text');
    box.value = text;
    box.select();
    document.execCommand('copy');
    box.value = '';
  }, ERROR);
  const plain = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  await plain.waitForTimeout(500);
  assert.equal(await plain.$eval('#error-text', (t) => t.value), '', 'opened by a click: the clipboard is not read');
  await plain.close();
  // The command marks its request in session storage, then opens the popup.
  await browser.worker.evaluate(() => chrome.storage.session.set({ clipboardAsked: Date.now() }));
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.waitForSelector('#result [data-adf-troubleshooter]', { timeout: 10_000 });
  assert.equal(await popup.$eval('#error-text', (t) => t.value), ERROR);
  assert.equal((await readCards(popup, '#result'))[0].id, 'shir-register-key-private-link');
  assert.equal(await browser.worker.evaluate(() => chrome.storage.session.get('clipboardAsked').then((s) => s.clipboardAsked)), undefined, 'the mark is used once');
  await popup.close();
  await copier.close();
});
