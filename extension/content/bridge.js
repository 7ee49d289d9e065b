// The content script: a thin, generic bridge between the page and the engine. It watches the
// page (and its open shadow roots) for the regions the engine's surface rules find, sends their
// text to the service worker, and puts the cards that come back next to them, inside the same
// shadow root. It knows nothing of ADF, Synapse or the portal itself, and it must never disturb
// the page: every failure ends quietly here.
(() => {
  'use strict';
  // One bridge per frame; its state marker lives in the content script's own world, which the
  // page cannot see.
  if (globalThis.__adfTroubleshooterBridge) return;
  const bridge = { stopped: false };
  globalThis.__adfTroubleshooterBridge = bridge;

  const HOST_ATTRIBUTE = 'data-adf-troubleshooter';
  const SCAN_DELAY_MS = 250;
  const MAX_TEXT = 64 * 1024;
  const RETRY_DELAYS_MS = [100, 500, 2000];
  /** The least time between two costly looks at one thing: shadow roots, a table's headers, the
   * length of a container too long to be a message. */
  const RECHECK_MS = 2000;
  /** A title or aria-label this long is the page's own copy of the message, not a caption. */
  const FULL_TEXT_MIN = 40;

  /** element -> { id, key, host, rule, dismissed } for every region on the page. */
  const regions = new Map();
  let nextId = 1;
  let rules = [];
  /** The rules as findAll uses them (prepareSearch). */
  let search = null;
  /** The user's card display settings, from the worker with the rules. */
  let display = { expanded: true, theme: 'auto' };
  let timer = 0;
  let scanning = false;
  let again = false;
  let stopped = false;

  function sendOnce(message) {
    return new Promise((resolve) => {
      try {
        chrome.runtime.sendMessage(message, (reply) => {
          void chrome.runtime.lastError; // read, so that Chrome does not log it as unchecked
          resolve(reply);
        });
      } catch {
        stop(); // the extension was updated or removed: this script is orphaned
        resolve(undefined);
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

  // The observer only notes where the page changed; the first mutation arms a timer, and the
  // scan then searches only there (plus the regions it already knows). A busy portal page
  // (grids, timers, animations) changes the DOM constantly: searching the whole page on each
  // change would cost far more than the changes. Added nodes and elements whose attributes
  // changed are the places to search (with their ancestors); removed children and text changed
  // in place make no new region: the regions holding them are known already, and their text is
  // compared on every scan. Text changed in place is therefore watched only inside the regions
  // (watchRegionTexts): elsewhere (a clock, a counter, a progress figure) it would only cost.
  //
  // The callback runs for every burst of changes the page makes, a thousand records at a time
  // on a busy page, so it only collects the nodes in one plain array, unexamined: each node
  // the content script touches costs a wrapper object in its own world, and by the scan many
  // of a burst's nodes are gone again (rows re-rendered, cell texts replaced). The scan sorts
  // them out once, however many bursts came before it.
  let changed = [];
  const observer = new MutationObserver((records) => {
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      const type = record.type;
      if (type === 'childList') {
        const nodes = record.addedNodes;
        for (let j = 0; j < nodes.length; j++) changed.push(nodes.item(j)); // item(j): indexing a NodeList is slower
      } else {
        changed.push(record.target); // its attributes changed
      }
    }
    schedule();
  });
  // Attributes too: dialogs often exist hidden and are shown by a class or style change.
  const OBSERVE = {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['class', 'style', 'hidden', 'open', 'aria-hidden', 'aria-invalid'],
  };

  const textObserver = new MutationObserver(() => schedule());
  function watchRegionTexts() {
    textObserver.disconnect();
    for (const element of regions.keys()) textObserver.observe(element, { characterData: true, subtree: true });
  }

  // An orphaned script (the extension was reloaded, updated or removed) lets go of the page:
  // no observer, no timer, no more work; the new version's script takes over.
  function stop() {
    stopped = true;
    bridge.stopped = true;
    observer.disconnect();
    textObserver.disconnect();
    clearTimeout(timer);
  }

  function schedule() {
    if (timer || stopped) return;
    if (!chrome.runtime?.id) {
      stop();
      return;
    }
    timer = setTimeout(() => {
      timer = 0;
      scan().catch((error) => console.warn('ADF Troubleshooter:', error));
    }, SCAN_DELAY_MS);
  }

  /** The connected ones of some nodes (a text node counts as its element), outermost only. */
  function outermost(list) {
    const nodes = new Set();
    for (const node of list) {
      const root = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
      if (root?.isConnected) nodes.add(root);
    }
    return [...nodes].filter((node) => {
      for (let up = node.parentNode; up; up = up.parentNode) if (nodes.has(up)) return false;
      return true;
    });
  }

  /**
   * What changed since the last scan: `subtrees` to search (a parent most of whose children
   * were replaced counts as one subtree), all still on the page, and `texts`, the text nodes
   * added. Most of a burst's text nodes hold no signature: whether they are still on the page is
   * asked only of those that do (textRegions).
   */
  function takeChanges() {
    const nodes = changed;
    changed = [];
    const elements = new Set();
    const texts = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const type = node.nodeType;
      if (type === Node.TEXT_NODE) texts.push(node);
      else if (type === Node.ELEMENT_NODE && node.isConnected) elements.add(node);
    }
    const perParent = new Map();
    for (const node of elements) perParent.set(node.parentNode, (perParent.get(node.parentNode) ?? 0) + 1);
    for (const [parent, count] of perParent) if (count > 8 && count * 2 > parent.childElementCount) elements.add(parent);
    return { subtrees: outermost(elements), texts };
  }

  // Open shadow roots (web components) are invisible to document queries and to the document's
  // observer. Changed subtrees are searched for them (a property read per element, the costly
  // part of a search) at most every RECHECK_MS; each root found is watched like the
  // document and searched as a changed subtree. The cards' own roots are not.
  const shadowRoots = new Set();
  let shadowPending = [];
  let shadowSearchAt = -Infinity;
  let shadowTimer = 0;

  function findShadowRoots(roots) {
    shadowPending.push(...roots);
    const wait = shadowSearchAt + RECHECK_MS - performance.now();
    if (wait > 0) {
      shadowTimer ||= setTimeout(() => {
        shadowTimer = 0;
        schedule();
      }, wait);
      return [];
    }
    shadowSearchAt = performance.now();
    for (const root of shadowRoots) if (!root.host.isConnected) shadowRoots.delete(root);
    const found = [];
    const pending = outermost(shadowPending);
    shadowPending = [];
    const check = (element) => {
      const shadow = element.shadowRoot;
      if (!shadow || element.hasAttribute(HOST_ATTRIBUTE) || shadowRoots.has(shadow)) return;
      shadowRoots.add(shadow);
      observer.observe(shadow, OBSERVE);
      found.push(shadow);
      pending.push(shadow);
    };
    while (pending.length) {
      const root = pending.pop();
      if (root.nodeType === Node.ELEMENT_NODE) check(root); // an added web component itself
      for (const element of root.querySelectorAll('*')) check(element);
    }
    return found;
  }

  // Style-only visibility where the browser has it: no forced layout on every scan.
  const visible = (element) => (element.checkVisibility
    ? element.checkVisibility()
    : element.getClientRects().length > 0);

  // The messages that an invalid field names in aria-describedby.
  function describedBy(field) {
    const scope = field.getRootNode();
    return (field.getAttribute('aria-describedby') ?? '').split(/\s+/)
      .map((id) => id && scope.getElementById?.(id))
      .filter(Boolean);
  }

  // The cells under the first header of a table that starts with one of the rule's words. A
  // table's header is looked up again at most every RECHECK_MS: the rows of a big grid change
  // all the time, its headers hardly ever.
  const TABLES = 'table, [role=grid], [role=table], [role=treegrid]';
  const headers = new WeakMap(); // table -> { header, at }
  function errorHeader(rule, table) {
    const now = performance.now();
    const known = headers.get(table);
    if (known && now - known.at < RECHECK_MS && (!known.header || known.header.isConnected)) return known.header;
    const header = [...table.querySelectorAll(rule.selector)].find((h) => {
      const label = (h.textContent ?? '').trim().toLowerCase();
      return rule.words.some((word) => label.startsWith(word));
    }) ?? null;
    headers.set(table, { header, at: now });
    return header;
  }

  function* columnCells(rule, table) {
    const header = errorHeader(rule, table);
    const headerRow = header?.parentElement;
    if (!headerRow) return;
    const colIndex = header.getAttribute('aria-colindex');
    const index = [...headerRow.children].indexOf(header);
    for (const row of table.querySelectorAll('tr, [role=row]')) {
      if (row === headerRow) continue;
      const cell = colIndex
        ? [...row.children].find((c) => c.getAttribute('aria-colindex') === colIndex)
        : row.children[index];
      if (cell) yield cell;
    }
  }

  // Text nodes holding a signature, each read as the closest ancestor the rule's selector
  // names: the changed text nodes, and those of the changed subtrees (a subtree whose whole
  // text holds none, one native call, is not walked at all).
  const NOT_TEXT = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'TEXTAREA']);
  function* textRegions(rule, signature, roots, changedTexts) {
    // The text first: most changed text nodes hold no signature, and their parents are then
    // not touched at all.
    const region = (node) => {
      if (!signature.test(node.data) || !node.isConnected) return null;
      const parent = node.parentElement;
      return parent && !NOT_TEXT.has(parent.tagName) ? parent.closest(rule.selector) : null;
    };
    for (let i = 0; i < changedTexts.length; i++) {
      const found = region(changedTexts[i]);
      if (found) yield found;
    }
    for (const root of roots) {
      if (!signature.test(root.textContent ?? '')) continue;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const found = region(walker.currentNode);
        if (found) yield found;
      }
    }
  }

  /**
   * Every element the rules find in the changed places, each with the first rule (in the
   * engine's order) that finds it. The selectors of all rules go into one query per subtree and
   * one walk up per changed node: a burst of changes costs a few native calls per change.
   */
  function findAll({ subtrees, texts: changedTexts }) {
    const { rank, queried, selector, signatures } = search;
    const all = new Map();
    const offer = (element, rule) => {
      const known = all.get(element);
      if (!known || rank.get(rule) < rank.get(known)) all.set(element, rule);
    };
    const seen = new Set();
    const take = (element) => {
      seen.add(element);
      for (const rule of queried) {
        if (rule.find === 'column') {
          if (element.matches(TABLES)) for (const cell of columnCells(rule, element)) offer(cell, rule);
        } else if (element.matches(rule.selector)) {
          if (rule.find === 'described') for (const message of describedBy(element)) offer(message, rule);
          else offer(element, rule);
        }
      }
    };
    for (const root of selector ? subtrees : []) {
      const start = root.nodeType === Node.ELEMENT_NODE ? root : null; // not a shadow root's host
      // Up to an ancestor already taken: its own ancestors were taken with it.
      for (let up = start?.closest(selector); up && !seen.has(up); up = up.parentElement?.closest(selector)) take(up);
      for (const element of root.querySelectorAll(selector)) if (!seen.has(element)) take(element);
    }
    for (const [rule, signature] of signatures) {
      for (const region of textRegions(rule, signature, subtrees, changedTexts)) offer(region, rule);
    }
    return all;
  }

  /** What findAll needs of the rules, worked out once when they arrive rather than per scan. */
  function prepareSearch() {
    const queried = rules.filter((rule) => rule.find !== 'text');
    const escape = (word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return {
      rank: new Map(rules.map((rule, index) => [rule, index])),
      queried,
      selector: queried.map((rule) => (rule.find === 'column' ? TABLES : rule.selector)).join(', '),
      // A text rule's words as one pattern: each text is read once, not once per word.
      signatures: new Map(rules.filter((rule) => rule.find === 'text' && rule.words.length)
        .map((rule) => [rule, new RegExp(rule.words.map(escape).join('|'))])),
    };
  }

  // A layout container whose class happens to say "error" (an app-wide error boundary) is found
  // again from every change inside it; its text is measured again only every RECHECK_MS.
  const tooLong = new WeakMap(); // element -> when its text was last found too long

  function candidates(changes) {
    const all = findAll(changes); // element -> the first rule (in order) that finds it
    for (const [element, region] of regions) {
      if (all.has(element) || !element.isConnected) continue;
      if (!changes.subtrees.some((root) => root !== element && root.contains(element))) all.set(element, region.rule);
    }
    const ordered = [...all.keys()].sort((a, b) => {
      const tiers = all.get(a).tier - all.get(b).tier;
      if (tiers) return tiers;
      return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    // A list of messages (a notifications flyout around its items) is no region itself: a
    // candidate is a list when two of the candidates nearest inside it, in its tier, look alike.
    const lists = new Set();
    const alike = new Map(); // candidate -> the looks of the candidates nearest inside it
    for (const [element, rule] of all) {
      let up = element.parentElement;
      while (up && !(all.has(up) && all.get(up).tier === rule.tier)) up = up.parentElement;
      if (!up) continue;
      const look = `${element.localName}|${element.getAttribute('role')}|${element.classList[0]}`;
      const seen = alike.get(up) ?? new Set();
      if (seen.has(look)) lists.add(up);
      seen.add(look);
      alike.set(up, seen);
    }
    const taken = new Set();
    const holding = new Set();
    const inside = (element) => {
      for (let e = element; e; e = e.parentElement) if (taken.has(e)) return true;
      return false;
    };
    const found = [];
    const now = performance.now();
    for (const element of ordered) {
      const rule = all.get(element);
      if (holding.has(element) || inside(element) || lists.has(element) || element.hasAttribute(HOST_ATTRIBUTE)) continue;
      if (now - (tooLong.get(element) ?? -Infinity) < RECHECK_MS) continue;
      if ((element.textContent ?? '').length > rule.max_chars) {
        tooLong.set(element, now);
        continue;
      }
      if (!visible(element)) continue;
      taken.add(element);
      for (let e = element.parentElement; e && !holding.has(e); e = e.parentElement) holding.add(e);
      found.push({ element, rule });
    }
    return found;
  }

  // The page's own full copy of a clipped text (a cell's title, an info box's aria-label) when
  // it has one, on the element or within it; else the visible text.
  function regionText(element, rule) {
    if (rule.full_text.length) {
      const owners = [element, ...element.querySelectorAll(rule.full_text.map((a) => `[${a}]`).join(','))];
      for (const owner of owners.slice(0, 20)) {
        for (const attribute of rule.full_text) {
          const value = owner.getAttribute(attribute) ?? '';
          if (value.length >= FULL_TEXT_MIN) return value.slice(0, MAX_TEXT);
        }
      }
    }
    return (element.innerText ?? '').slice(0, MAX_TEXT);
  }

  async function scan() {
    if (scanning) {
      again = true;
      return;
    }
    scanning = true;
    try {
      const changes = takeChanges();
      changes.subtrees.push(...findShadowRoots(changes.subtrees));
      const current = candidates(changes);
      const live = new Set(current.map((c) => c.element));
      let regionsChanged = false;
      for (const [element, region] of regions) {
        if (!live.has(element)) {
          region.host?.remove();
          regions.delete(element);
          regionsChanged = true;
        }
      }
      // Regions with the same rule and text (the failed rows of a list) are asked about once.
      const ask = new Map();
      for (const { element, rule } of current) {
        // textContent is the cheap change check; innerText (which lays out) only on change.
        const key = element.textContent ?? '';
        let region = regions.get(element);
        if (region && region.key === key) continue;
        region?.host?.remove();
        const text = regionText(element, rule);
        regionsChanged ||= !region;
        region = { id: 0, key, host: null, rule, dismissed: false };
        regions.set(element, region);
        if (!text.trim()) continue; // an empty cell of a run that did not fail
        const question = ask.get(`${rule.name}\n${text}`) ?? { id: nextId++, rule: rule.name, text, elements: [] };
        ask.set(`${rule.name}\n${text}`, question);
        question.elements.push(element);
        region.id = question.id;
      }
      if (regionsChanged) watchRegionTexts();
      if (!ask.size) return;
      const questions = [...ask.values()];
      const reply = await send({ type: 'regions', regions: questions.map(({ id, rule, text }) => ({ id, rule, text })) });
      const byId = new Map(questions.map((q) => [q.id, q]));
      // No answer even after the retries: these regions are asked about again by a later scan
      // (they stay known, with no text yet), unless the extension itself is gone.
      if (!reply) {
        for (const q of questions) for (const element of q.elements) if (regions.has(element)) regions.get(element).key = null;
        if (chrome.runtime?.id) setTimeout(schedule, RETRY_DELAYS_MS.at(-1));
      }
      for (const { id, card } of reply?.cards ?? []) {
        const question = byId.get(id);
        for (const element of question?.elements ?? []) {
          const region = regions.get(element);
          if (!region || region.id !== id || !element.isConnected) continue;
          place(element, region, card, question);
        }
      }
    } finally {
      scanning = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  }

  function place(element, region, card, { rule, text }) {
    region.host?.remove(); // one card per region, however often an answer arrives
    const { placement, collapsed } = region.rule;
    const host = globalThis.AdfCardView.create(card, {
      collapsed: collapsed || placement === 'badge' || !display.expanded,
      theme: display.theme,
      compact: placement === 'badge',
      // The worker builds the card's text again from the region's, on a copy button only.
      copyText: async (markdown) => (await send({ type: 'copyText', region: { id: 0, rule, text }, markdown }))?.text,
      onDismiss: () => {
        region.host = null;
        region.dismissed = true;
      },
    });
    region.host = host;
    region.card = card;
    if (placement === 'after') element.after(host);
    else element.append(host);
  }

  // The popup's list of the errors on this page, and its "show me" for one of them.
  const shown = () => [...regions.values()].filter((region) => region.host?.isConnected);
  chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    if (message?.type === 'cards-on-page') {
      // One entry per problem: the failed rows of a list with the same error count as one.
      const entries = new Map();
      shown().forEach((region, index) => {
        const entry = entries.get(region.card.id);
        if (entry) entry.count += 1;
        else entries.set(region.card.id, { index, id: region.card.id, title: region.card.title, confidence_label: region.card.confidence_label, count: 1 });
      });
      sendResponse([...entries.values()]);
    } else if (message?.type === 'show-card') {
      const host = shown()[message.index]?.host;
      host?.scrollIntoView({ block: 'center' });
      const toggle = host?.shadowRoot.querySelector('.toggle');
      if (toggle?.getAttribute('aria-expanded') === 'false') toggle.click();
      host?.shadowRoot.querySelector('.card').focus({ preventScroll: true });
    }
    return false;
  });

  async function start() {
    const reply = await send({ type: 'rules', host: location.hostname });
    rules = Array.isArray(reply?.rules) ? reply.rules : [];
    display = { ...display, ...reply?.display };
    if (!rules.length) return;
    search = prepareSearch();
    observer.observe(document.documentElement, OBSERVE);
    changed.push(document.documentElement);
    scan().catch((error) => console.warn('ADF Troubleshooter:', error));
  }

  start().catch((error) => console.warn('ADF Troubleshooter:', error));
})();
