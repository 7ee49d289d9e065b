// End-to-end: what the built extension answers for texts the engine must read with care: a tie
// between two documented sections, and generic errors of other tools.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser } from './with-browser.js';

// The same code is documented in the Blob article and, for the managed virtual network, in the
// security article: without context either may apply.
const CONTAINER = "Operation on target Copy_Staging failed: ErrorCode=AzureBlobFailedToCreateContainer,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Unable to create Azure Blob container. Endpoint: https://lake.blob.core.windows.net/, Container Name: staging.,Source=Microsoft.DataTransfer.ClientLibrary,'";

const browser = withBrowser();

async function explainInPopup(text) {
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.fill('#error-text', text);
  await popup.click('#explain');
  await popup.waitForFunction(() => document.getElementById('status').textContent !== 'Reading…');
  return popup;
}

const oneOf = (page) => page.evaluate(() => {
  const shadow = document.querySelector('[data-adf-troubleshooter]')?.shadowRoot;
  return {
    note: shadow?.querySelector('.note')?.textContent ?? null,
    titles: [...(shadow?.querySelectorAll('.one-of a') ?? [])].map((a) => a.textContent),
    links: [...(shadow?.querySelectorAll('.one-of a') ?? [])].map((a) => a.getAttribute('href')),
  };
});

test('a tie is shown as "one of these" on the page, with both sections linked', async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  // The page opens its own dialog first; ours replaces it.
  await page.waitForSelector('[data-adf-troubleshooter]', { timeout: 10_000 });
  await page.evaluate((text) => window.showDialog(text), CONTAINER);
  await page.waitForFunction(() => document.querySelector('[data-adf-troubleshooter]')
    ?.shadowRoot?.querySelector('.one-of'), null, { timeout: 10_000 });
  const shown = await oneOf(page);
  assert.match(shown.note, /One of these/);
  assert.equal(shown.titles.length, 2, JSON.stringify(shown));
  assert.ok(shown.links.some((l) => l.endsWith('#connection-error-in-public-endpoint')), JSON.stringify(shown));
  assert.ok(shown.links.some((l) => l.includes('connector-troubleshoot-azure-blob-storage#')), JSON.stringify(shown));
  await page.close();
});

test('the popup says "one of these" for a tie, and context settles it', async () => {
  const tie = await explainInPopup(CONTAINER);
  assert.equal((await oneOf(tie)).titles.length, 2);
  await tie.close();
  const settled = await explainInPopup(`${CONTAINER} (the copy runs on the managed virtual network IR)`);
  const shown = await oneOf(settled);
  assert.equal(shown.titles.length, 0, JSON.stringify(shown));
  const id = await settled.evaluate(() => document.querySelector('[data-adf-troubleshooter]').getAttribute('data-adf-troubleshooter'));
  assert.equal(id, 'blob-public-endpoint-from-managed-vnet');
  await settled.close();
});

test('errors of other tools get no confident card in the popup', async () => {
  for (const text of [
    "Msg 2628, Level 16, State 1, Line 3\nString or binary data would be truncated in table 'Sales.dbo.Customer', column 'Zip'. Truncated value: '12345-6789'.",
    "Microsoft.Data.SqlClient.SqlException (0x80131904): Login failed for user 'appuser'.\n   at Microsoft.Data.SqlClient.SqlInternalConnection.OnError(SqlException exception, Boolean breakConnection)",
  ]) {
    const popup = await explainInPopup(text);
    const confidence = await popup.evaluate(() => document.querySelector('[data-adf-troubleshooter]')
      ?.shadowRoot?.querySelector('.confidence')?.textContent ?? 'no card');
    assert.doesNotMatch(confidence, /High/, text);
    await popup.close();
  }
});

test('a complaint that a copy is slow gets the performance sections, its runtime first', async () => {
  const cardOf = (page) => page.evaluate(() => {
    const host = document.querySelector('[data-adf-troubleshooter]');
    return {
      id: host?.getAttribute('data-adf-troubleshooter') ?? null,
      confidence: host?.shadowRoot?.querySelector('.confidence')?.textContent ?? null,
    };
  });
  const unnamed = await explainInPopup('Our nightly copy of 30 tables to the data lake now takes about 8 hours, it used to finish in one');
  const both = await oneOf(unnamed);
  assert.ok(both.links.some((l) => l.endsWith('#troubleshoot-copy-activity-on-azure-ir')), JSON.stringify(both));
  assert.ok(both.links.some((l) => l.endsWith('#troubleshoot-copy-activity-on-self-hosted-ir')), JSON.stringify(both));
  assert.match((await cardOf(unnamed)).confidence, /Low/);
  await unnamed.close();
  const named = await explainInPopup('The copy through our self-hosted IR is really slow since Monday');
  assert.equal((await cardOf(named)).id, 'copy-slow-on-self-hosted-ir');
  assert.equal((await oneOf(named)).titles.length, 0);
  await named.close();
});
