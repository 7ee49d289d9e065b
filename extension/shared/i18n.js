// Fills the page's marked elements with strings from _locales, in the browser's language:
// data-i18n (text), data-i18n-placeholder, data-i18n-aria-label, data-i18n-title.
(() => {
  'use strict';
  const message = (key) => chrome.i18n.getMessage(key) || key;
  document.documentElement.lang = chrome.i18n.getUILanguage();
  for (const [attribute, apply] of [
    ['data-i18n', (el, text) => { el.textContent = text; }],
    ['data-i18n-placeholder', (el, text) => el.setAttribute('placeholder', text)],
    ['data-i18n-aria-label', (el, text) => el.setAttribute('aria-label', text)],
    ['data-i18n-title', (el, text) => { el.title = text; }],
  ]) {
    for (const el of document.querySelectorAll(`[${attribute}]`)) apply(el, message(el.getAttribute(attribute)));
  }
})();
