// Renders a card model (built by the engine) into a shadow root. Shared by the content script
// and the popup. Every piece of text goes in through textContent / DOM APIs, never as markup.
(() => {
  'use strict';
  if (globalThis.AdfCardView) return;
  // Shell strings come from _locales; the knowledge (titles, causes, steps) stays English.
  const t = (key, ...substitutions) => globalThis.chrome?.i18n?.getMessage(key, substitutions) || key;

  const CSS = `
:host { all: initial; display: block; contain: content; margin: 8px 0; max-width: 720px;
  font: 13px/1.45 "Segoe UI", system-ui, -apple-system, sans-serif; }
.card { --bg: #ffffff; --fg: #1b1b1b; --muted: #5c5c5c; --line: #d1d1d1; --accent: #0f6cbd;
  --code-bg: #f3f3f3; --high: #0e700e; --medium: #8a5a00; --low: #b10e1c;
  background: var(--bg); color: var(--fg); border: 1px solid var(--line);
  border-left: 4px solid var(--accent); border-radius: 6px; padding: 10px 12px;
  box-shadow: 0 1px 3px rgba(0,0,0,.12); outline: none; animation: enter .15s ease-out; }
@keyframes enter { from { opacity: 0; transform: translateY(-4px); } }
:host([data-theme=dark]) .card { --bg: #252423; --fg: #f3f2f1; --muted: #c8c6c4; --line: #484644;
  --accent: #479ef5; --code-bg: #1b1a19; --high: #54b054; --medium: #e3a21a; --low: #ff99a4; }
@media (prefers-color-scheme: dark) { :host(:not([data-theme=light])) .card { --bg: #252423;
  --fg: #f3f2f1; --muted: #c8c6c4; --line: #484644; --accent: #479ef5; --code-bg: #1b1a19;
  --high: #54b054; --medium: #e3a21a; --low: #ff99a4; } }
.card:focus-visible { box-shadow: 0 0 0 2px var(--accent); }
header { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.brand { font-size: 11px; color: var(--muted); width: 100%; }
h2 { font-size: 14px; font-weight: 600; margin: 0; flex: 1 1 240px; }
h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted);
  margin: 12px 0 4px; }
.confidence { font-size: 12px; font-weight: 600; }
.confidence.high { color: var(--high); } .confidence.medium { color: var(--medium); }
.confidence.low { color: var(--low); }
.team { font-size: 11px; font-weight: 600; border: 1px solid var(--accent); color: var(--fg);
  border-radius: 10px; padding: 0 6px; }
button { font: inherit; color: var(--fg); background: transparent; border: 1px solid var(--line);
  border-radius: 4px; padding: 2px 8px; cursor: pointer; transition: border-color .1s; }
button:hover { border-color: var(--accent); }
button:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.icon { border: none; font-size: 15px; line-height: 1; padding: 2px 6px; }
.body[hidden] { display: none; }
p, ol, ul, dl { margin: 4px 0; } ol, ul { padding-left: 22px; } li { margin: 3px 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; }
dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: Consolas, "Cascadia Mono", monospace; font-size: 12px; background: var(--code-bg);
  padding: 0 3px; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--code-bg); padding: 6px 8px; border-radius: 4px; margin: 4px 0;
  white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
.note { color: var(--medium); }
a { color: var(--accent); }
.actions { display: flex; gap: 8px; margin-top: 10px; flex-wrap: wrap; align-items: center; }
.copied { color: var(--muted); font-size: 12px; }
details summary { cursor: pointer; color: var(--muted); margin-top: 8px; }
:host([data-compact]) { display: inline-block; margin: 2px 0; vertical-align: middle; }
:host([data-compact]) .card { padding: 2px 8px; border-left-width: 3px; box-shadow: none; }
:host([data-compact]) .brand { display: none; }
:host([data-compact]) h2 { font-size: 12px; flex: 0 1 auto; }
@media (prefers-reduced-motion: reduce) { * { animation: none !important; transition: none !important; } }
`;

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === 'text') node.textContent = value;
      else if (key === 'class') node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function spans(list) {
    const fragment = document.createDocumentFragment();
    for (const span of list) {
      const tag = { code: 'code', strong: 'strong', emphasis: 'em' }[span.style];
      fragment.append(tag ? el(tag, { text: span.text }) : document.createTextNode(span.text));
    }
    return fragment;
  }

  // Steps become one numbered list; code and notes after a step stay inside that step.
  function guidance(paragraphs) {
    const out = document.createDocumentFragment();
    let list = null;
    for (const p of paragraphs) {
      const listTag = p.kind === 'step' ? 'OL' : p.kind === 'bullet' ? 'UL' : null;
      if (listTag) {
        if (!list || list.tagName !== listTag) out.append((list = el(listTag)));
        list.append(el('li', {}, spans(p.spans)));
      } else if (p.kind === 'code') {
        const block = el('pre', {}, el('code', { text: p.spans.map((s) => s.text).join('') }));
        (list?.lastElementChild ?? out).append(block);
      } else {
        list = null;
        out.append(el('p', {}, spans(p.spans)));
      }
    }
    return out;
  }

  function styleRoot(root) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {
      root.append(el('style', { text: CSS }));
    }
  }

  const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

  // Where focus goes when a card is dismissed from the keyboard: the page's last visible control
  // before the card, so that the reader carries on where they were, not at the top of the page.
  function focusableBefore(host) {
    const earlier = [...host.getRootNode().querySelectorAll(FOCUSABLE)]
      .filter((el) => el.compareDocumentPosition(host) & Node.DOCUMENT_POSITION_FOLLOWING);
    return earlier.reverse().find((el) => !el.checkVisibility || el.checkVisibility());
  }

  function pageIsDark() {
    const bg = getComputedStyle(document.body ?? document.documentElement).backgroundColor;
    const rgb = bg.match(/\d+(\.\d+)?/g)?.map(Number);
    if (!rgb || rgb.length < 3 || rgb[3] === 0) return null;
    const luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
    return luminance < 0.45;
  }

  /**
   * Creates a card host (open shadow root, marked data-adf-troubleshooter).
   * options: { collapsed, compact (a one-line badge in a list row until opened), onDismiss,
   * theme ('light', 'dark', or 'auto': the page's background decides), copyText(markdown)
   * (resolves to the card's text, plain or Markdown, for its copy buttons: the engine builds it
   * when a button is pressed, not with every card) }
   */
  function create(card, options = {}) {
    const host = document.createElement('div');
    host.setAttribute('data-adf-troubleshooter', card.id);
    const dark = options.theme === 'light' || options.theme === 'dark' ? options.theme === 'dark' : pageIsDark();
    if (dark !== null) host.setAttribute('data-theme', dark ? 'dark' : 'light');
    if (card.team) host.setAttribute('data-team', '');
    if (options.compact) host.setAttribute('data-compact', '');
    const root = host.attachShadow({ mode: 'open' });
    styleRoot(root);

    const body = el('div', { class: 'body', id: 'body' });
    const toggle = el('button', { class: 'icon toggle', 'aria-controls': 'body' });
    const dismiss = el('button', { class: 'icon dismiss', 'aria-label': t('cardDismiss'), text: '×' });
    const section = el(
      'section',
      // A badge in a list row is one of many alike: a group, not a landmark of its own.
      { class: 'card', role: options.compact ? 'group' : 'region', tabindex: '0', 'aria-label': `${t('extName')}: ${card.title}` },
      el(
        'header',
        options.compact ? { role: 'none' } : {}, // outside a landmark a header is the page's banner
        el('span', { class: 'brand', text: t('extName') }),
        el('h2', { text: card.title }),
        // A team's own answer says so: its advice and link are the team's, not Microsoft's.
        ...(card.team ? [el('span', { class: 'team', text: t('cardTeamRule') })] : []),
        el('span', { class: `confidence ${card.confidence}`, text: t(`confidenceLabel_${card.confidence}`) }),
        toggle,
        dismiss,
      ),
      body,
    );

    if (card.one_of?.length > 1) {
      // A tie is reported as such: the reader picks, the card does not pretend to know.
      const list = el('ul', { class: 'one-of' });
      for (const alt of card.one_of) {
        list.append(el('li', {}, el('a', { href: alt.source, target: '_blank', rel: 'noopener noreferrer', text: alt.title })));
      }
      body.append(el('p', { class: 'note', text: t('cardOneOf') }), list);
    } else if (card.ambiguous) {
      body.append(el('p', { class: 'note', text: t('cardAmbiguous') }));
    }
    if (card.read.length) {
      const facts = el('dl', { 'aria-label': t('cardReadLabel') });
      for (const fact of card.read) facts.append(el('dt', { text: fact.label }), el('dd', { text: fact.value }));
      body.append(el('h3', { text: t('cardRead') }), facts);
    }
    // A team rule may leave out what the user sees; the section is then left out too.
    if (card.symptoms.length) body.append(el('h3', { text: t('cardSymptoms') }), guidance(card.symptoms));
    body.append(el('h3', { text: t('cardCause') }), guidance(card.cause));
    body.append(el('h3', { text: t('cardSteps') }), guidance(card.steps));
    const link = el('a', { class: 'source', href: card.source, target: '_blank', rel: 'noopener noreferrer', text: t(card.team ? 'cardSourceTeam' : 'cardSource') });
    body.append(el('p', {}, link));
    if (card.alternatives.length) {
      const list = el('ul');
      for (const alt of card.alternatives) {
        list.append(el('li', {}, el('a', { href: alt.source, target: '_blank', rel: 'noopener noreferrer', text: alt.title }), document.createTextNode(` (${t(`confidence_${alt.confidence}`)})`)));
      }
      body.append(el('details', { class: 'alternatives', ...(card.ambiguous ? { open: '' } : {}) }, el('summary', { text: t('cardAlternatives') }), list));
    }
    const status = el('span', { class: 'copied', role: 'status' });
    const copyText = el('button', { class: 'copy-text', text: t('cardCopy') });
    const copyMarkdown = el('button', { class: 'copy-markdown', text: t('cardCopyMarkdown') });
    const copy = async (markdown) => {
      try {
        const text = await options.copyText?.(markdown);
        if (typeof text !== 'string') throw new Error('the card has no text to copy');
        await navigator.clipboard.writeText(text);
        status.textContent = t('cardCopied');
      } catch {
        status.textContent = t('cardCopyFailed');
      }
    };
    copyText.addEventListener('click', () => copy(false));
    copyMarkdown.addEventListener('click', () => copy(true));
    body.append(el('div', { class: 'actions' }, copyText, copyMarkdown, status));

    const setCollapsed = (collapsed) => {
      body.hidden = collapsed;
      toggle.textContent = collapsed ? '▸' : '▾';
      toggle.setAttribute('aria-expanded', String(!collapsed));
      toggle.setAttribute('aria-label', t(collapsed ? 'cardShowFix' : 'cardHideFix'));
    };
    setCollapsed(Boolean(options.collapsed));
    toggle.addEventListener('click', () => setCollapsed(!body.hidden));
    const close = () => {
      const next = root.activeElement ? focusableBefore(host) : null;
      host.remove();
      next?.focus();
      options.onDismiss?.();
    };
    dismiss.addEventListener('click', close);
    section.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        close();
      }
    });
    root.append(section);
    return host;
  }

  globalThis.AdfCardView = Object.freeze({ create });
})();
