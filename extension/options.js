// Settings (synced with the browser profile) and the list of known problems.
import init, { entries } from './engine/adf_troubleshooter.js';

const DEFAULTS = { showCards: true, minConfidence: 'medium' };
const showCards = document.getElementById('show-cards');
const minConfidence = document.getElementById('min-confidence');
const saved = document.getElementById('saved');

const current = await chrome.storage.sync.get(DEFAULTS);
showCards.checked = current.showCards;
minConfidence.value = current.minConfidence;

async function save() {
  await chrome.storage.sync.set({ showCards: showCards.checked, minConfidence: minConfidence.value });
  saved.textContent = 'Saved. Reload open portal tabs to apply.';
}
showCards.addEventListener('change', save);
minConfidence.addEventListener('change', save);

await init();
const list = entries();
document.getElementById('count').textContent = `${list.length} problems from the Microsoft Learn troubleshooting guides (CC BY 4.0).`;
const ul = document.getElementById('entries');
for (const entry of list) {
  const link = document.createElement('a');
  link.href = entry.source;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.textContent = entry.title;
  const li = document.createElement('li');
  li.append(link);
  ul.append(li);
}
