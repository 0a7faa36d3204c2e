import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCents, parseAmountToCents } from '../src/shared/money.js';
import { limitHints, MAX_HINTS_BYTES } from '../src/shared/hints.js';

test('amounts typed by a person become integer cents', () => {
  const cases = [['5', 500], ['2.50', 250], ['2,5', 250], ['0.01', 1], [' 1 000,00 € ', 100000], ['12.345', null], ['-3', null], ['0', null], ['abc', null], ['', null], ['1e3', null], [undefined, null]];
  for (const [text, cents] of cases) assert.equal(parseAmountToCents(text), cents, String(text));
});

test('cents are shown without float arithmetic, the way each language writes money', () => {
  assert.equal(formatCents(1705, 'en'), '€17.05');
  assert.equal(formatCents(123456789, 'en'), '€1,234,567.89');
  assert.match(formatCents(1705, 'fr'), /^17,05\s€$/);
  assert.equal(formatCents(3, 'en'), '€0.03');
  assert.equal(formatCents(-250, 'en'), '-€2.50');
  assert.equal(formatCents(1.5, 'en'), '');
});

test('hints stay under 8 KB whatever the page holds', () => {
  const huge = {
    title: 'x'.repeat(5000),
    me: Array.from({ length: 50 }, (_, i) => `https://example.org/${'y'.repeat(400)}/${i}`),
    json_ld: Array.from({ length: 30 }, () => ({ name: 'z'.repeat(600), same_as: ['https://a.example/'] })),
    empty: [],
    nothing: '',
    fn: () => 1,
  };
  const hints = limitHints(huge);
  assert.ok(new TextEncoder().encode(JSON.stringify(hints)).length <= MAX_HINTS_BYTES);
  assert.ok(hints.title.length <= 500);
  assert.ok(hints.me.length >= 1, 'lists are shortened, not dropped, while they fit');
  assert.ok(!('empty' in hints) && !('nothing' in hints) && !('fn' in hints));
  assert.equal(limitHints({ a: [], b: '' }), null);
  assert.deepEqual(limitHints({ canonical: 'https://example.org/p', creators: ['github:alice'] }), { canonical: 'https://example.org/p', creators: ['github:alice'] });
});
