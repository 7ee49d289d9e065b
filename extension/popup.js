// The toolbar popup (and the "Explain this error" window): paste an error, get the card,
// see which parts of the text were the evidence. Runs the engine in this page, offline.
import init, { explain, __wbg_reset_state as resetEngine } from './engine/adf_troubleshooter.js';

const input = document.getElementById('error-text');
const button = document.getElementById('explain');
const status = document.getElementById('status');
const result = document.getElementById('result');
const evidence = document.getElementById('evidence');
const evidenceText = document.getElementById('evidence-text');
const ready = init();

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
    mark.title = `matched ${[...range.signals].join(', ')}`;
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
    status.textContent = 'Paste an error message, an error code or the activity output JSON above.';
    return;
  }
  status.textContent = 'Reading…';
  try {
    await ready;
    const { card } = explain(text);
    if (!card) {
      status.textContent = 'No known match for this error. Check that the whole message was pasted, including its error code.';
      return;
    }
    status.textContent = card.confidence === 'low'
      ? 'Only a weak match: treat this as a guess.'
      : '';
    result.append(globalThis.AdfCardView.create(card, { collapsed: false }));
    showEvidence(text, card.highlights);
  } catch (error) {
    // A trap leaves the wasm instance unusable: the next text gets a fresh one.
    if (error instanceof WebAssembly.RuntimeError) resetEngine();
    status.textContent = `The engine could not read this text (${error?.message ?? error}).`;
  }
}

button.addEventListener('click', run);
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) run();
});
input.addEventListener('paste', () => setTimeout(run, 0));

// Opened from the context menu: the selection waits in session storage.
if (new URLSearchParams(location.search).get('source') === 'selection') {
  chrome.storage.session.get('selection').then(({ selection }) => {
    if (typeof selection === 'string') {
      input.value = selection;
      chrome.storage.session.remove('selection');
      run();
    }
  });
}

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
    confidence.textContent = ` (${card.confidence_label}${card.count > 1 ? `, ${card.count} times` : ''})`;
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
