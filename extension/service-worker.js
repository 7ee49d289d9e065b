// The extension's back end: runs the wasm engine for content scripts, the context menu, the
// omnibox and the keyboard command, and keeps nothing in memory that matters (the browser may
// stop this worker any time).
import init, {
  explain, suggestions, surfaceRules, cardsForRegions, regionCopyText, surfaceOfHost, __wbg_reset_state as resetEngine,
} from './engine/adf_troubleshooter.js';
import * as store from './shared/store.js';

const MENU_ID = 'adf-troubleshooter-explain';
const t = (key, ...substitutions) => chrome.i18n.getMessage(key, substitutions);

/** A User Timing mark, once per worker: DevTools and the benchmarks see when the engine became
 * ready, measured from the worker's start (its time origin). */
const ENGINE_READY = 'adf-troubleshooter:engine-ready';
let engineReady = null;
// The team rules are loaded with the engine, and again after they change; they are read from
// storage while the wasm compiles, so a cold start waits for the slower of the two, not for
// both in turn.
function engine() {
  engineReady ??= Promise.all([init(), store.rulesInForce()])
    .then(([, read]) => store.applyRules(read))
    .then(() => void performance.mark(ENGINE_READY))
    .catch((error) => {
      engineReady = null;
      throw error;
    });
  return engineReady;
}

// Almost every wake-up needs the engine: a content script's first message on a studio or portal
// page asks for the surface rules, which come from the engine. Starting it here, before the rest
// of the script registers its listeners and menus, overlaps the wasm's fetch and compilation
// with that registration and with the browser's dispatch of the event that woke the worker. A
// failure here is not lost: the first message that needs the engine starts it again and reports
// the error.
engine().catch(() => {});

chrome.storage.onChanged.addListener((changes, area) => {
  if (store.touchesRules(changes, area) && engineReady) {
    engineReady = engineReady.then(() => store.applyRules()).catch(() => { engineReady = null; });
  }
  if (area === 'managed' || 'surfaces' in changes) syncMenu();
});

// A panic in the engine is a wasm trap: the instance's memory may be half-updated, so it is
// replaced by a fresh one from the already compiled module (and given the rules again).
function isTrap(error) {
  return error instanceof WebAssembly.RuntimeError;
}

function guarded(call) {
  try {
    return call();
  } catch (error) {
    if (isTrap(error)) {
      resetEngine();
      engineReady = Promise.resolve().then(() => store.applyRules());
    }
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

/**
 * Whether cards are on where a message comes from: a content script's page (its frame's host
 * decides the surface); the extension's own pages (the popup) are not a surface.
 */
async function surfaceOn(sender, host) {
  await engine();
  const { settings } = await store.settings();
  const url = String(sender?.url ?? '');
  if (url.startsWith(chrome.runtime.getURL(''))) return { on: true, settings };
  let pageHost = String(host ?? '');
  try {
    pageHost = new URL(url).hostname || pageHost;
  } catch { /* no URL: the host the script sent */ }
  const surface = surfaceOfHost(pageHost);
  return { on: Boolean(surface && settings.surfaces[surface]), settings };
}

const handlers = {
  async rules({ host }, sender) {
    const { on, settings } = await surfaceOn(sender, host);
    if (!on) return { rules: [] };
    return {
      rules: guarded(() => surfaceRules(String(host ?? ''))),
      display: { expanded: settings.expanded, theme: settings.theme },
    };
  },
  async regions({ regions }, sender) {
    const { on, settings } = await surfaceOn(sender);
    if (!on || !Array.isArray(regions)) return { cards: [] };
    return { cards: cardsFor(regions, settings.minConfidence) };
  },
  // A region card's text for its copy buttons, built when one is pressed.
  async copyText({ region, markdown }, sender) {
    const { on, settings } = await surfaceOn(sender);
    if (!on || typeof region !== 'object' || region === null) return { text: null };
    return { text: guarded(() => regionCopyText([region], settings.minConfidence, Boolean(markdown))) ?? null };
  },
  async explain({ text }) {
    await engine();
    return { result: guarded(() => explain(String(text ?? ''))) };
  },
  // The omnibox's suggestions, also asked for by the tests.
  async suggest({ text }) {
    await engine();
    return { matches: guarded(() => suggestions(String(text ?? ''))).slice(0, 5) };
  },
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = handlers[message?.type];
  if (!handler) return false;
  handler(message, sender).then(sendResponse, (error) => {
    console.warn('ADF Troubleshooter:', error);
    sendResponse({ error: String(error?.message ?? error) });
  });
  return true;
});

// The right-click item exists only while its surface is on. It is created at once on install
// (the browser keeps it across worker restarts), then removed if the settings say so; the
// settings are read without the engine, so that installing starts no wasm.
function createMenu() {
  chrome.contextMenus.create({ id: MENU_ID, title: t('menuExplain'), contexts: ['selection'] },
    () => void chrome.runtime.lastError); // already there: fine
}
async function syncMenu() {
  const [{ surfaces = {} }, policy] = await Promise.all([chrome.storage.sync.get('surfaces'), store.managed()]);
  const on = policy.surfaces?.contextMenu ?? surfaces.contextMenu ?? true;
  if (on) createMenu();
  else chrome.contextMenus.remove(MENU_ID, () => void chrome.runtime.lastError);
}
chrome.runtime.onInstalled.addListener(() => {
  createMenu();
  syncMenu().catch(() => {});
});
chrome.runtime.onStartup.addListener(() => { syncMenu().catch(() => {}); });

/**
 * Opens the explaining window on a text handed over through session storage, not the URL:
 * error texts can be long and hold server names that do not belong in a title or history.
 */
async function openExplainer(text, { tabId, prefer, inTab } = {}) {
  await chrome.storage.session.set({ selection: text, prefer: prefer ?? null });
  const url = chrome.runtime.getURL(`popup.html?source=selection${tabId >= 0 ? `&tab=${tabId}` : ''}`);
  if (inTab) await chrome.tabs.create({ url });
  else await chrome.windows.create({ url, type: 'popup', width: 520, height: 720 });
}

chrome.contextMenus.onClicked.addListener(async (info, tab) => {
  if (info.menuItemId !== MENU_ID || !info.selectionText) return;
  // The page's tab too, so that the window also lists the errors with cards on that page.
  await openExplainer(info.selectionText, { tabId: tab?.id });
});

// `adf <code or text>` in the address bar: the best matches as suggestions; Enter (or a
// suggestion) opens the diagnosis, the chosen entry first.
chrome.omnibox.setDefaultSuggestion({ description: t('omniboxDefault') });
chrome.omnibox.onInputChanged.addListener(async (text, suggest) => {
  if (!text.trim()) return;
  const { matches } = await handlers.suggest({ text });
  suggest(matches.map((m) => ({
    content: `${text} #${m.id}`,
    description: escapeXml(`${m.title} (${t(`confidence_${m.confidence}`)})`),
  })));
});
chrome.omnibox.onInputEntered.addListener(async (input) => {
  const chosen = /^(.*) #([\w:-]+)$/s.exec(input);
  await openExplainer(chosen ? chosen[1] : input, { prefer: chosen?.[2], inTab: true });
});
// Omnibox descriptions are XML: the error text must not become markup.
const escapeXml = (text) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The keyboard command: the popup opens and reads the clipboard, which it may only do now,
// on this explicit action (it asks for the permission then if it was never granted).
chrome.commands.onCommand.addListener(async (command) => {
  if (command !== 'explain-clipboard') return;
  await chrome.storage.session.set({ clipboardAsked: Date.now() });
  try {
    await chrome.action.openPopup();
  } catch {
    await chrome.windows.create({ url: chrome.runtime.getURL('popup.html?source=clipboard'), type: 'popup', width: 520, height: 720 });
  }
});

