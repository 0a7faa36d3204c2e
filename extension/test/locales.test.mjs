import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { badgeFor } from '../src/background/badge.js';

const root = new URL('..', import.meta.url).pathname;
const load = (lang) => JSON.parse(readFileSync(join(root, `_locales/${lang}/messages.json`), 'utf8'));
const en = load('en');
const languages = readdirSync(join(root, '_locales'));

function files(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

test('every language has exactly the same message keys', () => {
  assert.deepEqual(languages.sort(), ['en', 'fr']);
  for (const lang of languages) assert.deepEqual(Object.keys(load(lang)).sort(), Object.keys(en).sort(), lang);
});

test('every translation uses the same substitutions and is not empty', () => {
  const subs = (text) => (text.match(/\$\d/g) ?? []).sort().join();
  for (const lang of languages) {
    for (const [key, { message }] of Object.entries(load(lang))) {
      assert.ok(message.trim(), `${lang}/${key} is empty`);
      assert.equal(subs(message), subs(en[key].message), `${lang}/${key}`);
    }
  }
});

test('each language names itself, so dates and money follow the messages', () => {
  for (const lang of languages) assert.equal(load(lang).locale.message, lang);
});

test('every message the code and pages ask for exists', () => {
  const used = new Set();
  for (const path of [...files(join(root, 'src'), '.js'), ...files(join(root, 'src'), '.html'), join(root, 'manifest.json')]) {
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/\bt\('([a-z0-9_]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n(?:-[a-z-]+)?="([a-z0-9_]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/__MSG_([a-z0-9_]+)__/g)) used.add(m[1]);
  }
  // Keys built at run time: every reason, error kind and badge state.
  for (const reason of ['unknown', 'not_web', 'local_file', 'browser_page', 'no_host', 'bad_host', 'ip_address', 'local_host', 'single_label', 'unknown_suffix', 'public_suffix', 'extension_store']) {
    used.add(`unflattrable_${reason}`);
  }
  for (const problem of ['state_mismatch', 'invalid_token', 'access_denied']) used.add(`pairing_${problem}`);
  for (const kind of ['offline', 'unavailable', 'rate_limited', 'server']) {
    used.add(`popup_status_queued_${kind}`);
    used.add(`badge_queued_${kind}`);
  }
  for (const key of used) assert.ok(key in en, `missing message ${key}`);
});

test('each badge state has its own mark and a title that exists', () => {
  const states = [
    { status: 'sending' },
    { status: 'done', flattr: { claimed: true, key: 'k' } },
    { status: 'done', flattr: { claimed: false, key: 'k' } },
    { status: 'queued', error: { kind: 'offline' } },
    { status: 'unflattrable', reason: 'local_file' },
    { status: 'error', error: { kind: 'rejected', message: 'no' } },
    { status: 'browse', claimed: true, key: 'k' },
    { status: 'browse', claimed: true, declined: true, key: 'k' },
  ];
  const marks = states.map((s) => badgeFor(s).text);
  assert.equal(new Set(marks).size, marks.length, `marks must differ: ${marks}`);
  for (const state of [...states, { status: 'done', flattr: { claimed: true, already: true } }, { status: 'done', flattr: { already: true } }, { status: 'error', error: { kind: 'not_connected' } }, { status: 'browse', key: 'k' }]) {
    const [key, ...subs] = badgeFor(state).title;
    assert.ok(key in en, key);
    for (const sub of subs) if (Array.isArray(sub)) assert.ok(sub[0] in en, sub[0]);
  }
  assert.equal(badgeFor(null), null);
  assert.equal(badgeFor({ status: 'undone' }), null);
});
