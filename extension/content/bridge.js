// The content script: a thin, generic bridge between the page and the engine. It watches the
// page for the regions the engine's surface rules select, sends their text to the service
// worker, and puts the cards that come back next to them. It knows nothing of ADF, Synapse or
// the portal itself, and it must never disturb the page: every failure ends quietly here.
(() => {
  'use strict';
  if (globalThis.__adfTroubleshooterBridge) return;
  globalThis.__adfTroubleshooterBridge = true;

  const HOST_ATTRIBUTE = 'data-adf-troubleshooter';
  const SCAN_DELAY_MS = 250;
  const MAX_TEXT = 64 * 1024;
  const RETRY_DELAYS_MS = [100, 500, 2000];

  /** element -> { id, key, host, rule, dismissed } for every region on the page. */
  const regions = new Map();
  let nextId = 1;
  let rules = [];
  let selectorParts = [];
  let timer = 0;
  let scanning = false;
  let again = false;

  function sendOnce(message) {
    return new Promise((resolve) => {
      try {
        chrome.runtime.sendMessage(message, (reply) => {
          void chrome.runtime.lastError; // read, so that Chrome does not log it as unchecked
          resolve(reply);
        });
      } catch {
        resolve(undefined); // the extension was updated or removed: this script is orphaned
      }
    });
  }

  // The browser stops the service worker when it likes, also in the middle of a request: the
  // message then ends without a reply. It is sent again, which starts a fresh worker; the
  // worker's answers depend only on the message, so asking twice is harmless.
  async function send(message) {
    for (const delay of RETRY_DELAYS_MS) {
      const reply = await sendOnce(message);
      if (reply !== undefined || !chrome.runtime?.id) return reply;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return sendOnce(message);
  }

  // The observer does no work per mutation: a busy portal page (grids, timers, animations)
  // changes the DOM constantly, and inspecting each record costs more than one deferred scan.
  // The first mutation arms a timer; the scan then looks at the few elements the rules select.
  const observer = new MutationObserver(schedule);

  function schedule() {
    if (timer) return;
    timer = setTimeout(() => {
      timer = 0;
      scan().catch((error) => console.warn('ADF Troubleshooter:', error));
    }, SCAN_DELAY_MS);
  }

  // Style-only visibility where the browser has it: no forced layout on every scan.
  const visible = (element) => (element.checkVisibility
    ? element.checkVisibility()
    : element.getClientRects().length > 0);

  // Outermost visible regions only (a JSON block inside an error dialog is read with the
  // dialog), each with the first rule that selects it. One query per simple selector: Chromium
  // answers those on a fast path, several times quicker than one query for the whole list.
  function candidates() {
    const elements = new Set();
    for (const part of selectorParts) {
      for (const element of document.querySelectorAll(part)) elements.add(element);
    }
    const ordered = [...elements].sort((a, b) =>
      (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    const found = [];
    for (const element of ordered) {
      if (element.hasAttribute(HOST_ATTRIBUTE) || found.some((c) => c.element.contains(element))) continue;
      if (!visible(element)) continue;
      found.push({ element, rule: rules.find((rule) => element.matches(rule.selector)) });
    }
    return found;
  }

  async function scan() {
    if (scanning) {
      again = true;
      return;
    }
    scanning = true;
    try {
      const current = candidates();
      const live = new Set(current.map((c) => c.element));
      for (const [element, region] of regions) {
        if (!live.has(element)) {
          region.host?.remove();
          regions.delete(element);
        }
      }
      const ask = [];
      const byId = new Map();
      for (const { element, rule } of current) {
        // textContent is the cheap change check; innerText (which lays out) only on change.
        const key = element.textContent ?? '';
        let region = regions.get(element);
        if (region && region.key === key) continue;
        region?.host?.remove();
        const text = (element.innerText ?? '').slice(0, MAX_TEXT);
        region = { id: nextId++, key, host: null, rule, dismissed: false };
        regions.set(element, region);
        byId.set(region.id, element);
        ask.push({ id: region.id, rule: rule.name, text });
      }
      if (!ask.length) return;
      const reply = await send({ type: 'regions', regions: ask });
      // No answer even after the retries: forget these regions, so a later scan asks again.
      if (!reply) for (const element of byId.values()) regions.delete(element);
      for (const { id, card } of reply?.cards ?? []) {
        const element = byId.get(id);
        const region = element && regions.get(element);
        if (!region || region.id !== id || !element.isConnected) continue;
        place(element, region, card);
      }
    } finally {
      scanning = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  }

  function place(element, region, card) {
    region.host?.remove(); // one card per region, however often an answer arrives
    const host = globalThis.AdfCardView.create(card, {
      collapsed: region.rule.collapsed,
      onDismiss: () => {
        region.host = null;
        region.dismissed = true;
      },
    });
    region.host = host;
    if (region.rule.placement === 'append') element.append(host);
    else element.after(host);
  }

  async function start() {
    const reply = await send({ type: 'rules', host: location.hostname });
    rules = Array.isArray(reply?.rules) ? reply.rules : [];
    if (!rules.length) return;
    // The engine's selectors are plain lists: no commas inside attribute values.
    selectorParts = rules.flatMap((rule) => rule.selector.split(',').map((part) => part.trim()));
    // Attributes too: dialogs often exist hidden and are shown by a class or style change.
    observer.observe(document.documentElement, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['class', 'style', 'hidden', 'open', 'aria-hidden'],
    });
    scan().catch((error) => console.warn('ADF Troubleshooter:', error));
  }

  start().catch((error) => console.warn('ADF Troubleshooter:', error));
})();
