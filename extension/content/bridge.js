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

  /** element -> { id, text, host, dismissed } for every region seen. */
  const regions = new Map();
  let nextId = 1;
  let rules = [];
  let selector = '';
  let timer = 0;
  let scanning = false;
  let again = false;

  function send(message) {
    return new Promise((resolve) => {
      try {
        chrome.runtime.sendMessage(message, (reply) => {
          void chrome.runtime.lastError; // the worker may be gone after an update: stay quiet
          resolve(reply);
        });
      } catch {
        resolve(undefined);
      }
    });
  }

  const isOurs = (node) => {
    const element = node?.nodeType === Node.ELEMENT_NODE ? node : node?.parentElement;
    return Boolean(element?.closest?.(`[${HOST_ATTRIBUTE}]`));
  };

  // Deciding whether a batch of mutations matters must cost next to nothing on a busy portal
  // page: a change inside a region already read, a region gone, or a new element the rules
  // select. Everything else (grids, timers, animations) is ignored after a few cheap checks.
  function batchMatters(mutations) {
    for (const element of regions.keys()) {
      if (!element.isConnected) return true;
    }
    const checked = new Set();
    for (const mutation of mutations) {
      const target = mutation.target.nodeType === Node.ELEMENT_NODE ? mutation.target : mutation.target.parentElement;
      if (target && !checked.has(target)) {
        checked.add(target);
        for (const element of regions.keys()) {
          if (element.contains(target)) {
            if (!isOurs(target) && !onlyOurCards(mutation)) return true;
            break;
          }
        }
      }
      // A region shown by a class or attribute change (dialogs often exist hidden).
      if (mutation.type === 'attributes' && !isOurs(target)
        && (target.matches(selector) || target.querySelector(selector))) return true;
      for (const node of mutation.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE || node.hasAttribute(HOST_ATTRIBUTE)) continue;
        if (node.matches(selector) || (node.firstElementChild && node.querySelector(selector))) return true;
      }
    }
    return false;
  }

  function onlyOurCards(mutation) {
    const changed = [...mutation.addedNodes, ...mutation.removedNodes];
    return changed.length > 0
      && changed.every((node) => node.nodeType === Node.ELEMENT_NODE && node.hasAttribute(HOST_ATTRIBUTE));
  }

  const observer = new MutationObserver((mutations) => {
    if (batchMatters(mutations)) schedule();
  });

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      scan().catch((error) => console.warn('ADF Troubleshooter:', error));
    }, SCAN_DELAY_MS);
  }

  function visible(element) {
    return element.isConnected && element.getClientRects().length > 0;
  }

  // Outermost regions only: a JSON block inside an error dialog is read with the dialog.
  function candidates() {
    const found = [];
    for (const rule of rules) {
      for (const element of document.querySelectorAll(rule.selector)) {
        if (isOurs(element) || !visible(element)) continue;
        if (found.some((c) => c.element === element || c.element.contains(element))) continue;
        for (let i = found.length - 1; i >= 0; i--) {
          if (element.contains(found[i].element)) found.splice(i, 1);
        }
        found.push({ element, rule, text: (element.innerText ?? '').slice(0, MAX_TEXT) });
      }
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
      for (const candidate of current) {
        let region = regions.get(candidate.element);
        if (region && region.text === candidate.text) continue;
        region?.host?.remove();
        region = { id: nextId++, text: candidate.text, host: null, rule: candidate.rule, dismissed: false };
        regions.set(candidate.element, region);
        byId.set(region.id, candidate.element);
        ask.push({ id: region.id, rule: candidate.rule.name, text: candidate.text });
      }
      if (!ask.length) return;
      const reply = await send({ type: 'regions', regions: ask });
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
    selector = rules.map((rule) => rule.selector).join(', ');
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
