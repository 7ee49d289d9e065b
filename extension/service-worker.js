// The extension's back end: runs the wasm engine for content scripts, the popup's context-menu
// path, and keeps nothing in memory that matters (the browser may stop this worker any time).
import init, {
  explain, surfaceRules, cardsForRegions, __wbg_reset_state as resetEngine,
} from './engine/adf_troubleshooter.js';

const DEFAULT_SETTINGS = { showCards: true, minConfidence: 'medium' };
const MENU_ID = 'adf-troubleshooter-explain';

let engineReady = null;
// Started on first use, not at worker start: most worker wake-ups need no engine.
function engine() {
  engineReady ??= init().catch((error) => {
    engineReady = null;
    throw error;
  });
  return engineReady;
}

// A panic in the engine is a wasm trap: the instance's memory may be half-updated, so it is
// replaced by a fresh one from the already compiled module before anything else runs.
function isTrap(error) {
  return error instanceof WebAssembly.RuntimeError;
}

function guarded(call) {
  try {
    return call();
  } catch (error) {
    if (isTrap(error)) resetEngine();
    throw error;
  }
}

// One scan's regions in one call; if that traps, each region alone, so one bad region costs
// only its own card.
function cardsFor(regions, minConfidence) {
  try {
    return guarded(() => cardsForRegions(regions, minConfidence));
  } catch (error) {
    if (!isTrap(error)) throw error;
  }
  const cards = [];
  for (const region of regions) {
    try {
      cards.push(...guarded(() => cardsForRegions([region], minConfidence)));
    } catch (error) {
      if (!isTrap(error)) throw error;
      console.warn('ADF Troubleshooter: the engine failed on one region; it gets no card.');
    }
  }
  return cards;
}

async function settings() {
  const stored = await chrome.storage.sync.get(DEFAULT_SETTINGS);
  return { ...DEFAULT_SETTINGS, ...stored };
}

const handlers = {
  async rules({ host }) {
    const { showCards } = await settings();
    if (!showCards) return { rules: [] };
    await engine();
    return { rules: guarded(() => surfaceRules(String(host ?? ''))) };
  },
  async regions({ regions }) {
    const { showCards, minConfidence } = await settings();
    if (!showCards || !Array.isArray(regions)) return { cards: [] };
    await engine();
    return { cards: cardsFor(regions, minConfidence) };
  },
  async explain({ text }) {
    await engine();
    return { result: guarded(() => explain(String(text ?? ''))) };
  },
};

chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  const handler = handlers[message?.type];
  if (!handler) return false;
  handler(message).then(sendResponse, (error) => {
    console.warn('ADF Troubleshooter:', error);
    sendResponse({ error: String(error?.message ?? error) });
  });
  return true;
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({
    id: MENU_ID,
    title: 'Explain this error',
    contexts: ['selection'],
  });
});

chrome.contextMenus.onClicked.addListener(async (info, tab) => {
  if (info.menuItemId !== MENU_ID || !info.selectionText) return;
  // The selection goes through session storage, not the URL: error texts can be long and
  // hold server names that do not belong in a window title or history.
  await chrome.storage.session.set({ selection: info.selectionText });
  await chrome.windows.create({
    // The page's tab too, so that the window also lists the errors with cards on that page.
    url: chrome.runtime.getURL(`popup.html?source=selection${tab?.id >= 0 ? `&tab=${tab.id}` : ''}`),
    type: 'popup',
    width: 520,
    height: 720,
  });
});
