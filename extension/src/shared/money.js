// Money is integer cents everywhere; these only turn cents into text and text into cents.

function separators(locale) {
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  return {
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
  };
}

/** "1 234,56 €" / "€1,234.56" from integer cents, without any float arithmetic. */
export function formatCents(cents, locale = 'en', currency = 'EUR') {
  if (!Number.isInteger(cents)) return '';
  const { group, decimal } = separators(locale);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const units = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const amount = `${units}${decimal}${String(abs % 100).padStart(2, '0')}`;
  const symbol =
    new Intl.NumberFormat(locale, { style: 'currency', currency })
      .formatToParts(0)
      .find((p) => p.type === 'currency')?.value ?? currency;
  // Place the symbol the way the locale does (before in English, after in French).
  const before = new Intl.NumberFormat(locale, { style: 'currency', currency })
    .formatToParts(1)
    .findIndex((p) => p.type === 'currency') === 0;
  return before ? `${sign}${symbol}${amount}` : `${sign}${amount}\u00a0${symbol}`;
}

/**
 * Integer cents from what a person typed ("5", "2.50", "2,5", "1 000,00 €"), or null when
 * it is not a positive amount with at most two decimals.
 */
export function parseAmountToCents(text) {
  if (typeof text !== 'string') return null;
  const cleaned = text.replace(/[\s\u00a0\u202f€$£]/g, '');
  const match = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return cents > 0 ? cents : null;
}
