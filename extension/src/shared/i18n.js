// Localised text: `_locales/<lang>/messages.json` through the browser's i18n API.
import { api } from './browser.js';

/** The message `key` with its $1..$9 substitutions; the key itself if missing (visible bug). */
export function t(key, ...substitutions) {
  return api.i18n.getMessage(key, substitutions.map(String)) || key;
}

/**
 * The language the messages are shown in, so dates and money are written the same way
 * (each messages.json names its own language: the browser's UI language may differ).
 */
export function uiLocale() {
  return api.i18n.getMessage('locale') || api.i18n.getUILanguage?.() || 'en';
}

/** Fill elements marked `data-i18n` (text), `data-i18n-title`, `data-i18n-placeholder`, `data-i18n-aria-label`. */
export function localizeDocument(doc) {
  doc.documentElement.lang = uiLocale();
  for (const el of doc.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const [attr, data] of [['title', 'i18nTitle'], ['placeholder', 'i18nPlaceholder'], ['aria-label', 'i18nAriaLabel']]) {
    for (const el of doc.querySelectorAll(`[data-${attr === 'aria-label' ? 'i18n-aria-label' : `i18n-${attr}`}]`)) {
      el.setAttribute(attr, t(el.dataset[data]));
    }
  }
}
