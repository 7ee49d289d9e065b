// Team rules and settings on the built extension: the options page's form (problems shown at
// their field), Markdown and JSON import, export, a team rule beating a bundled entry on its own
// error text (and the CLI's --rules agreeing), sync quotas falling back to local storage,
// per-surface switches, collapsed cards, theme, the omnibox and the clipboard command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCards, cliBestMatch, dist } from './harness.js';
import { withBrowser } from './with-browser.js';

const browser = withBrowser();
const RULES_DIR = join(dist, '..', 'tests', 'data', 'team-rules');
const LOGIN_ERROR = readFileSync(join(RULES_DIR, 'login-error.txt'), 'utf8').trim();
const RULE_MD = join(RULES_DIR, 'contoso-etl-login.md');

const options = async () => {
  const page = await browser.open(`chrome-extension://${browser.extensionId}/options.html`);
  await page.waitForSelector('#entries li');
  return page;
};
const cardIds = (page) => readCards(page).then((cards) => cards.map((c) => c.id));
const waitForCard = (page, id, timeout = 10_000) => page.waitForFunction(
  (want) => [...document.querySelectorAll('[data-adf-troubleshooter]')].some((h) => h.getAttribute('data-adf-troubleshooter') === want),
  id, { timeout },
);
/** Clears the user's rules and settings (storage is shared by the file's tests). */
async function reset(page) {
  await page.evaluate(async () => {
    await chrome.storage.sync.clear();
    await chrome.storage.local.clear();
  });
  await page.reload();
  await page.waitForSelector('#entries li');
}

test('the form: a rule with an unsafe link is refused at that field, then saved once fixed', async () => {
  const page = await options();
  await reset(page);
  await page.fill('#rule-id', 'contoso-etl-login');
  await page.fill('#rule-title', 'The ETL login is locked by the nightly password rotation');
  await page.fill('#rule-codes', 'SqlFailedToConnect');
  await page.fill('#rule-messages', "Login failed for user 'svc-contoso-etl'");
  await page.fill('#rule-cause', 'The password rotation job locks svc-contoso-etl for ten minutes.');
  await page.fill('#rule-steps', 'Wait ten minutes and rerun.\nPage the DBA on call.');
  await page.fill('#rule-link', 'http://wiki.contoso.com/etl-login');
  await page.click('#rule-form button[type=submit]');
  await page.waitForSelector('#rule-problems .problem');
  const said = await page.$eval('#rule-problems', (box) => box.textContent);
  assert.match(said, /rule 1 \(contoso-etl-login\), link: .*not an https link/);
  assert.equal(await page.$eval('#rule-link', (field) => field.getAttribute('aria-invalid')), 'true');
  assert.equal(await page.evaluate(() => chrome.storage.sync.get(null).then((all) => Object.keys(all).filter((k) => k.startsWith('rule:')).length)), 0);

  await page.fill('#rule-link', 'https://wiki.contoso.com/etl-login');
  await page.click('#rule-form button[type=submit]');
  await page.waitForSelector('#rules-list li[data-rule="contoso-etl-login"]');
  assert.equal(await page.$$eval('#rule-problems .problem', (list) => list.length), 0);
  const stored = await page.evaluate(() => chrome.storage.sync.get('rule:contoso-etl-login'));
  assert.equal(stored['rule:contoso-etl-login'].link, 'https://wiki.contoso.com/etl-login');
  await page.close();
});

test('a team rule beats the bundled entry on its own error text, and the CLI with --rules agrees', async () => {
  const page = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await page.waitForSelector('[data-adf-troubleshooter]'); // the page's own dialog first
  await page.evaluate((text) => window.showDialog(text), LOGIN_ERROR);
  await waitForCard(page, 'team:contoso-etl-login');
  const card = (await readCards(page)).find((c) => c.id === 'team:contoso-etl-login');
  assert.equal(card.source, 'https://wiki.contoso.com/etl-login');
  assert.match(card.confidence, /High confidence/);
  assert.equal(card.steps, 2);
  const badge = await page.evaluate(() => document.querySelector('[data-adf-troubleshooter="team:contoso-etl-login"]').shadowRoot.querySelector('.team')?.textContent);
  assert.equal(badge, 'Team rule', 'the card says it is a team rule');
  assert.equal(cliBestMatch(LOGIN_ERROR, { rules: RULES_DIR }).id, 'team:contoso-etl-login');
  assert.equal(cliBestMatch(LOGIN_ERROR).id, 'sql-failed-to-connect', 'without the rule, the bundled entry');
  // The bundled entry is still offered beside it.
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.fill('#error-text', LOGIN_ERROR);
  await popup.click('#explain');
  await popup.waitForSelector('#result [data-adf-troubleshooter]');
  const alternatives = await popup.evaluate(() => [...document.querySelector('#result [data-adf-troubleshooter]').shadowRoot.querySelectorAll('.alternatives a')].map((a) => a.href));
  assert.ok(alternatives.some((href) => href.includes('#error-code-sqlfailedtoconnect')), alternatives.join());
  await popup.close();
  await page.close();
});

test('Markdown import: one file of many entries, problems with their line; JSON export and re-import', async () => {
  const page = await options();
  await reset(page);
  const dir = mkdtempSync(join(tmpdir(), 'adf-rules-'));
  const many = join(dir, 'gateways.md');
  writeFileSync(many, [
    '---', 'id: gw-17-refused', 'title: Gateway GW-17 refused the copy', 'codes: [ContosoGatewayRefused]',
    'source: https://wiki.contoso.com/gw-17', '---', '## Cause', 'The allow-list misses the runtime.',
    '## Resolution', '1. Ask the network team to add the runtime.', '---', 'id: gw-18-broken',
    'title: Broken', 'messages:', '  - "short *"', 'source: https://wiki.contoso.com/gw-18', '---',
    '## Cause', 'c', '## Resolution', '1. s', '',
  ].join('\n'));
  await page.setInputFiles('#import', [RULE_MD, many]);
  await page.waitForSelector('#rules-list li[data-rule="gw-17-refused"]');
  const ids = await page.$$eval('#rules-list li', (items) => items.map((li) => li.dataset.rule));
  assert.deepEqual(ids.sort(), ['contoso-etl-login', 'gw-17-refused']);
  const said = await page.$eval('#rule-problems', (box) => box.textContent);
  assert.match(said, /gateways\.md: line 15: the template `short \*` has 5 letters or digits/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(exported.rules.map((r) => r.id).sort(), ['contoso-etl-login', 'gw-17-refused']);
  await reset(page);
  const file = join(dir, 'team-rules.json');
  writeFileSync(file, JSON.stringify(exported));
  await page.setInputFiles('#import', file);
  await page.waitForSelector('#rules-list li[data-rule="gw-17-refused"]');
  await page.close();

  const adf = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await adf.waitForSelector('[data-adf-troubleshooter]');
  await adf.evaluate(() => window.showDialog('Operation on target Copy failed: ErrorCode=ContosoGatewayRefused, the gateway closed the connection'));
  await waitForCard(adf, 'team:gw-17-refused');
  await adf.close();
});

/** A valid rule padded to about `bytes` of JSON. */
const bigRule = (id, bytes) => ({
  id, title: `Large rule ${id}`, codes: [`ContosoBig${id.replace(/\W/g, '')}`],
  symptoms: 'x '.repeat(Math.min(1990, Math.floor(bytes / 4))).trim(),
  cause: 'y '.repeat(Math.min(1990, Math.floor(bytes / 4))).trim(),
  steps: ['z '.repeat(Math.min(1990, Math.max(1, Math.floor(bytes / 2) - 4000))).trim()],
  link: 'https://wiki.contoso.com/big',
});

test('rules beyond sync quotas (8 KB per rule, 100 KB in all) fall back to local storage with a note, none lost', async () => {
  const page = await options();
  await reset(page);
  const dir = mkdtempSync(join(tmpdir(), 'adf-rules-'));
  // Fourteen rules of about 7.5 KB: each fits an item, together they exceed 100 KB.
  const rules = Array.from({ length: 14 }, (_, i) => bigRule(`big-${i}`, 7500));
  writeFileSync(join(dir, 'big.json'), JSON.stringify(rules));
  await page.setInputFiles('#import', join(dir, 'big.json'));
  await page.waitForSelector('#rules-storage-note:not([hidden])');
  assert.match(await page.$eval('#rules-storage-note', (n) => n.textContent), /kept on this device only.*No rule was lost/s);
  const where = await page.evaluate(async () => ({
    local: (await chrome.storage.local.get('teamRules')).teamRules?.length,
    sync: Object.keys(await chrome.storage.sync.get(null)).filter((k) => k.startsWith('rule:')).length,
  }));
  assert.deepEqual(where, { local: 14, sync: 0 });
  assert.equal(await page.$$eval('#rules-list li', (items) => items.length), 14);
  // The last rule still answers.
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.fill('#error-text', 'ErrorCode=ContosoBigbig13 the big one');
  await popup.click('#explain');
  await waitForCard(popup, 'team:big-13');
  await popup.close();

  // One rule over 8 KB alone also goes to local storage; a small set goes back to sync.
  await reset(page);
  writeFileSync(join(dir, 'one.json'), JSON.stringify([bigRule('huge', 12000)]));
  await page.setInputFiles('#import', join(dir, 'one.json'));
  await page.waitForSelector('#rules-storage-note:not([hidden])');
  await page.click('#rules-list li[data-rule="huge"] button:last-child');
  await page.setInputFiles('#import', RULE_MD);
  await page.waitForSelector('#rules-list li[data-rule="contoso-etl-login"]');
  await page.waitForSelector('#rules-storage-note[hidden]', { state: 'attached' });
  assert.ok(await page.evaluate(() => chrome.storage.sync.get('rule:contoso-etl-login').then((s) => s['rule:contoso-etl-login'])));
  await page.close();
});

test('settings: a surface turned off gets no card, others still do; cards collapsed; dark theme', async () => {
  const page = await options();
  await page.uncheck('[data-setting="surfaces.portal"]');
  await page.selectOption('#expanded', 'false');
  await page.selectOption('#theme', 'dark');
  await page.waitForFunction(() => chrome.storage.sync.get(['theme', 'expanded']).then((s) => s.theme === 'dark' && s.expanded === false));
  await page.close();
  const portal = await browser.open('https://portal.azure.com/');
  await portal.waitForTimeout(1500);
  assert.deepEqual(await cardIds(portal), [], 'portal off: no card');
  await portal.close();
  const adf = await browser.open('https://adf.azure.com/en/monitoring/pipelineruns');
  await adf.waitForSelector('[data-adf-troubleshooter]');
  const [card] = await readCards(adf);
  assert.equal(card.collapsed, true, 'collapsed by default');
  assert.equal(await adf.$eval('[data-adf-troubleshooter]', (h) => h.getAttribute('data-theme')), 'dark');
  await adf.close();
  const restore = await options();
  await restore.check('[data-setting="surfaces.portal"]');
  await restore.waitForFunction(() => chrome.storage.sync.get('surfaces').then((s) => s.surfaces.portal === true));
  await restore.close();
  const again = await browser.open('https://portal.azure.com/');
  await again.waitForSelector('[data-adf-troubleshooter]');
  await again.close();
});

test('the context menu item follows its switch', async () => {
  const exists = () => browser.worker.evaluate(() => new Promise((resolve) => {
    chrome.contextMenus.update('adf-troubleshooter-explain', {}, () => resolve(!chrome.runtime.lastError));
  }));
  const page = await options();
  await page.uncheck('[data-setting="surfaces.contextMenu"]');
  await page.waitForTimeout(300);
  assert.equal(await exists(), false);
  await page.check('[data-setting="surfaces.contextMenu"]');
  await page.waitForTimeout(300);
  assert.equal(await exists(), true);
  await page.close();
});

test('omnibox: `adf` suggests the best matches, team rules included, and opens the chosen diagnosis', async () => {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  assert.equal(manifest.omnibox.keyword, 'adf');
  const popup = await browser.open(`chrome-extension://${browser.extensionId}/popup.html`);
  const { matches } = await popup.evaluate((text) => chrome.runtime.sendMessage({ type: 'suggest', text }), LOGIN_ERROR);
  assert.equal(matches[0].id, 'team:contoso-etl-login');
  assert.ok(matches.some((m) => m.id === 'sql-failed-to-connect'));
  await popup.close();
  // Choosing the bundled suggestion: the worker hands text and choice over as for the menu.
  await browser.worker.evaluate((text) => chrome.storage.session.set({ selection: text, prefer: 'sql-failed-to-connect' }), LOGIN_ERROR);
  const page = await browser.open(`chrome-extension://${browser.extensionId}/popup.html?source=selection`);
  await page.waitForSelector('#result [data-adf-troubleshooter]');
  assert.equal((await readCards(page, '#result'))[0].id, 'sql-failed-to-connect');
  await page.close();
});

test('keyboard command: registered with a shortcut; the clipboard is not read before the permission is granted', async () => {
  const commands = await browser.worker.evaluate(() => chrome.commands.getAll());
  const command = commands.find((c) => c.name === 'explain-clipboard');
  assert.ok(command?.shortcut, JSON.stringify(commands));
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.optional_permissions, ['clipboardRead']);
  const page = await browser.open(`chrome-extension://${browser.extensionId}/popup.html?source=clipboard`);
  await page.waitForSelector('#allow-clipboard:not([hidden])');
  assert.equal(await page.$eval('#error-text', (t) => t.value), '');
  assert.match(await page.$eval('#status', (s) => s.textContent), /allow the extension to read the clipboard/);
  await page.close();
});
