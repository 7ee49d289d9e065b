// The toolbar popup (and the "Explain this error" window): paste an error, get the card,
// see which parts of the text were the evidence. Runs the engine in this page, offline, with
// the team rules; the keyboard command opens it on the clipboard's text.
import init, { explainPreferring, copyText, __wbg_reset_state as resetEngine } from './engine/adf_troubleshooter.js';
import * as store from './shared/store.js';

const input = document.getElementById('error-text');
const button = document.getElementById('explain');
const status = document.getElementById('status');
const result = document.getElementById('result');
const evidence = document.getElementById('evidence');
const evidenceText = document.getElementById('evidence-text');
const allowClipboard = document.getElementById('allow-clipboard');
const t = (key, ...substitutions) => chrome.i18n.getMessage(key, substitutions);
// `autofocus` waits for the browser's next rendering step; a paste may come before it.
input.focus();
let settings = null;
// The engine, the team rules and the theme; the popup follows the chosen theme.
const ready = init().then(async () => {
  await store.applyRules();
  ({ settings } = await store.settings());
  if (settings.theme !== 'auto') document.documentElement.dataset.theme = settings.theme;
});
/** An entry to put first (chosen among the omnibox's suggestions). */
let prefer = null;

// Evidence ranges (UTF-16 offsets from the engine) become <mark> elements around text nodes.
function showEvidence(text, highlights) {
  evidenceText.replaceChildren();
  // Overlapping evidence (a code inside a matched message) is marked once, as one range.
  const ranges = [];
  for (const range of [...highlights].sort((a, b) => a.start - b.start)) {
    const last = ranges.at(-1);
    if (last && range.start <= last.end) {
      last.end = Math.max(last.end, range.end);
      last.signals.add(range.signal);
    } else {
      ranges.push({ start: range.start, end: range.end, signals: new Set([range.signal]) });
    }
  }
  let at = 0;
  for (const range of ranges) {
    evidenceText.append(document.createTextNode(text.slice(at, range.start)));
    const mark = document.createElement('mark');
    mark.title = t('popupMatched', [...range.signals].join(', '));
    mark.textContent = text.slice(range.start, range.end);
    evidenceText.append(mark);
    at = range.end;
  }
  evidenceText.append(document.createTextNode(text.slice(at)));
  evidence.hidden = ranges.length === 0;
}

async function run() {
  const text = input.value;
  result.replaceChildren();
  evidence.hidden = true;
  if (!text.trim()) {
    status.textContent = t('popupEmpty');
    return;
  }
  status.textContent = t('popupReading');
  try {
    await ready;
    const chosen = prefer;
    const { card } = explainPreferring(text, chosen);
    prefer = null;
    if (!card) {
      status.textContent = t('popupNoMatch');
      return;
    }
    status.textContent = card.confidence === 'low' ? t('popupWeak') : '';
    result.append(globalThis.AdfCardView.create(card, {
      collapsed: false,
      theme: settings?.theme,
      copyText: async (markdown) => copyText(text, chosen, markdown),
    }));
    showEvidence(text, card.highlights);
  } catch (error) {
    // A trap leaves the wasm instance unusable: the next text gets a fresh one.
    if (error instanceof WebAssembly.RuntimeError) resetEngine();
    status.textContent = t('popupEngineError', String(error?.message ?? error));
  }
}

button.addEventListener('click', run);
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) run();
});
input.addEventListener('paste', () => setTimeout(run, 0));

// Opened from the context menu or the omnibox: the text waits in session storage.
const source = new URLSearchParams(location.search).get('source');
if (source === 'selection') {
  chrome.storage.session.get(['selection', 'prefer']).then(({ selection, prefer: chosen }) => {
    if (typeof selection === 'string') {
      input.value = selection;
      prefer = typeof chosen === 'string' ? chosen : null;
      chrome.storage.session.remove(['selection', 'prefer']);
      run();
    }
  });
}

// Opened by the keyboard command: the clipboard is read now, and only now. Without the
// permission the popup asks for it with a button (a permission request needs a click).
async function readClipboard() {
  try {
    return await navigator.clipboard.readText();
  } catch {
    // Extension pages with clipboardRead may also paste into a focused field.
    input.value = '';
    input.focus();
    document.execCommand('paste');
    return input.value;
  }
}

async function explainClipboard() {
  if (!(await chrome.permissions.contains({ permissions: ['clipboardRead'] }))) {
    allowClipboard.hidden = false;
    status.textContent = t('popupClipboardAsk');
    return;
  }
  allowClipboard.hidden = true;
  input.value = await readClipboard();
  run();
}

allowClipboard.addEventListener('click', async () => {
  const granted = await chrome.permissions.request({ permissions: ['clipboardRead'] });
  if (granted) explainClipboard();
  else status.textContent = t('popupClipboardDenied');
});

(async () => {
  const { clipboardAsked } = await chrome.storage.session.get('clipboardAsked');
  // The command marks its request; a popup opened by a click within seconds is not it.
  const asked = source === 'clipboard' || (typeof clipboardAsked === 'number' && Date.now() - clipboardAsked < 5000);
  if (!asked) return;
  await chrome.storage.session.remove('clipboardAsked');
  await explainClipboard();
})().catch(() => {});

// The errors that have cards on the page the popup was opened over (its top frame): one button
// each, which brings that card into view. The window opened from the context menu is told the
// page's tab in its address; the toolbar popup asks for the active tab. Pages where the content
// script does not run answer nothing, and the list stays hidden.
async function listErrorsOnPage() {
  const params = new URLSearchParams(location.search);
  const tabId = Number(params.get('tab')) || (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id;
  if (!tabId) return;
  let found;
  try {
    found = await chrome.tabs.sendMessage(tabId, { type: 'cards-on-page' }, { frameId: 0 });
  } catch {
    return; // no content script there
  }
  if (!Array.isArray(found) || !found.length) return;
  const list = document.getElementById('on-page-list');
  for (const card of found) {
    const item = document.createElement('button');
    item.type = 'button';
    const confidence = document.createElement('span');
    confidence.className = 'confidence';
    confidence.textContent = ` (${card.confidence_label}${card.count > 1 ? t('popupTimes', String(card.count)) : ''})`;
    item.append(document.createTextNode(card.title), confidence);
    item.addEventListener('click', () => {
      chrome.tabs.sendMessage(tabId, { type: 'show-card', index: card.index }, { frameId: 0 }).catch(() => {});
      if (!params.has('tab')) window.close();
    });
    const li = document.createElement('li');
    li.append(item);
    list.append(li);
  }
  document.getElementById('on-page').hidden = false;
}
listErrorsOnPage().catch(() => {});
