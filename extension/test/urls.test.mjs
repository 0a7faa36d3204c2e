import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeUrl, unflattrableReason } from '../src/shared/urls.js';

// creator-keys.md section 1, one row per rule.
const NORMALIZED = [
  ['https://Example.ORG/Path', 'https://example.org/Path'],
  ['https://example.org', 'https://example.org/'],
  ['https://example.org.:443/a', 'https://example.org/a'],
  ['http://example.org:80/a', 'http://example.org/a'],
  ['http://example.org:8080/a', 'http://example.org:8080/a'],
  ['https://www.example.org/a', 'https://www.example.org/a'],
  ['http://müller.de/straße', 'http://xn--mller-kva.de/stra%C3%9Fe'],
  ['https://example.org/a#section-2', 'https://example.org/a'],
  ['https://example.org/a?utm_source=x&utm_Medium=y&b=2&a=1', 'https://example.org/a?a=1&b=2'],
  ['https://example.org/?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref_src=5&igshid=6', 'https://example.org/'],
  ['https://example.org/?si=keep', 'https://example.org/?si=keep'],
  ['https://youtu.be/abc?si=drop&t=30', 'https://youtu.be/abc?t=30'],
  ['https://example.org/?b=2&a=2&a=1', 'https://example.org/?a=1&a=2&b=2'],
  ['https://example.org/?', 'https://example.org/'],
  ['https://user:pw@example.org/x', 'https://example.org/x'],
  ['https://blog.example.co.uk/p', 'https://blog.example.co.uk/p'],
];

for (const [raw, expected] of NORMALIZED) {
  test(`normalizes ${raw}`, () => assert.equal(normalizeUrl(raw), expected));
}

test('two spellings of one page are one thing', () => {
  assert.equal(
    normalizeUrl('HTTPS://EXAMPLE.org:443/p?z=1&utm_campaign=c&a=2#top'),
    normalizeUrl('https://example.org/p?a=2&z=1'),
  );
});

const UNFLATTRABLE = [
  ['chrome://extensions/', 'browser_page'],
  ['about:blank', 'browser_page'],
  ['about:addons', 'browser_page'],
  ['edge://settings', 'browser_page'],
  ['moz-extension://abc/popup.html', 'browser_page'],
  ['chrome-extension://abc/popup.html', 'browser_page'],
  ['view-source:https://example.org/', 'browser_page'],
  ['file:///home/ada/notes.html', 'local_file'],
  ['ftp://example.org/file', 'not_web'],
  ['javascript:alert(1)', 'not_web'],
  ['data:text/html,hi', 'not_web'],
  ['mailto:ada@example.org', 'not_web'],
  ['not a url', 'not_web'],
  ['', 'unknown'],
  [undefined, 'unknown'],
  ['http://127.0.0.1:8080/', 'ip_address'],
  ['http://2130706433/', 'ip_address'],
  ['http://[2001:db8::1]/', 'ip_address'],
  ['http://localhost:3000/', 'local_host'],
  ['http://app.localhost/', 'local_host'],
  ['http://intranet/wiki', 'single_label'],
  ['https://example.notarealtld/', 'unknown_suffix'],
  ['https://co.uk/', 'public_suffix'],
  ['https://com.au/', 'public_suffix'],
  ['http://bad!host.example.org/', 'bad_host'],
  ['https://chromewebstore.google.com/detail/abc', 'extension_store'],
  ['https://chrome.google.com/webstore/detail/abc', 'extension_store'],
  ['https://addons.mozilla.org/fr/firefox/addon/x/', 'extension_store'],
];

for (const [raw, reason] of UNFLATTRABLE) {
  test(`cannot flattr ${raw} (${reason})`, () => {
    assert.equal(unflattrableReason(raw), reason);
    assert.throws(() => normalizeUrl(raw), (e) => e.reason === reason);
  });
}

test('ordinary pages of the public web can be flattred', () => {
  for (const raw of ['https://example.org/post', 'http://blog.example.com.au/', 'https://chrome.google.com/search', 'https://someapp.herokuapp.com/', 'https://github.io/', 'https://s3.amazonaws.com/bucket/x']) {
    assert.equal(unflattrableReason(raw), null, raw);
  }
});
