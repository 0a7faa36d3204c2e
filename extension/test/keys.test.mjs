import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { claimedFromPrefixAnswer, keySha256, pickClaimed, resolveLocally } from '../src/shared/keys.js';
import { registrableDomain } from '../src/shared/psl.js';

// creator-keys.md sections 2 and 3, one row per URL shape.
const KEYS = [
  ['https://github.com/Alice', 'github:alice'],
  ['https://github.com/alice/repo/issues/3', 'github:alice'],
  ['https://gist.github.com/Alice/0123abcd', 'github:alice'],
  ['https://raw.githubusercontent.com/alice/repo/main/README.md', 'github:alice'],
  ['https://alice.github.io/post', 'github:alice'],
  ['https://github.com/orgs/Acme/repositories', 'github:acme'],
  ['https://github.com/sponsors/bob', 'github:bob'],
  ['https://www.github.com/alice', 'github:alice'],
  ['https://github.com/', 'domain:github.com'],
  ['https://github.com/about', 'domain:github.com'],
  ['https://github.com/features/actions', 'domain:github.com'],
  ['https://github.com/pricing', 'domain:github.com'],
  ['https://github.com/login', 'domain:github.com'],
  ['https://github.com/settings/profile', 'domain:github.com'],
  ['https://github.com/explore', 'domain:github.com'],
  ['https://github.com/marketplace', 'domain:github.com'],
  ['https://github.com/topics/rust', 'domain:github.com'],
  ['https://github.com/search?q=x', 'domain:github.com'],
  ['https://github.com/notifications', 'domain:github.com'],
  ['https://github.com/new', 'domain:github.com'],
  ['https://gitlab.com/Group/project', 'gitlab:group'],
  ['https://group.gitlab.io/project', 'gitlab:group'],
  ['https://codeberg.org/Ann/repo', 'codeberg:ann'],
  ['https://ann.codeberg.page/', 'codeberg:ann'],
  ['https://www.youtube.com/channel/UCxYz_AbC0123456789_-AbC', 'youtube:UCxYz_AbC0123456789_-AbC'],
  ['https://www.youtube.com/channel/UCtooShort', 'domain:youtube.com'],
  ['https://youtube.com/@SomeHandle', 'youtube:@somehandle'],
  ['https://m.youtube.com/@SomeHandle/videos', 'youtube:@somehandle'],
  ['https://twitter.com/Jack', 'twitter:jack'],
  ['https://x.com/jack/status/20', 'twitter:jack'],
  ['https://mobile.twitter.com/jack', 'twitter:jack'],
  ['https://x.com/home', 'domain:x.com'],
  ['https://x.com/explore', 'domain:x.com'],
  ['https://x.com/i/flow/login', 'domain:x.com'],
  ['https://x.com/hashtag/rust', 'domain:x.com'],
  ['https://mastodon.social/@Gargron', 'mastodon:gargron@mastodon.social'],
  ['https://fosstodon.org/@ann/1093', 'mastodon:ann@fosstodon.org'],
  ['https://hachyderm.io/@bob@example.social', 'mastodon:bob@example.social'],
  ['https://bsky.app/profile/Alice.bsky.social/post/3k', 'bluesky:alice.bsky.social'],
  ['https://bsky.app/', 'domain:bsky.app'],
  ['https://www.twitch.tv/Streamer', 'twitch:streamer'],
  ['https://twitch.tv/directory', 'domain:twitch.tv'],
  ['https://twitch.tv/settings/profile', 'domain:twitch.tv'],
  ['https://twitch.tv/p/en/about', 'domain:twitch.tv'],
  ['https://www.reddit.com/user/Spez', 'reddit:spez'],
  ['https://old.reddit.com/u/spez/comments', 'reddit:spez'],
  ['https://www.reddit.com/r/rust/', 'domain:reddit.com'],
  ['https://medium.com/@writer/a-post-123', 'medium:writer'],
  ['https://writer.medium.com/a-post', 'medium:writer'],
  ['https://medium.com/some-publication/post', 'domain:medium.com'],
  ['https://letters.substack.com/p/issue-1', 'substack:letters'],
  ['https://dev.to/ben/my-post', 'devto:ben'],
  ['https://artist.bandcamp.com/album/x', 'bandcamp:artist'],
  ['https://soundcloud.com/someone/track', 'soundcloud:someone'],
  ['https://soundcloud.com/discover', 'domain:soundcloud.com'],
  ['https://mysite.wordpress.com/2024/01/post/', 'wordpress:mysite'],
  ['https://myblog.blogspot.com/2020/01/x.html', 'blogger:myblog'],
  ['https://myblog.blogspot.fr/', 'blogger:myblog'],
  ['https://myblog.blogspot.co.uk/', 'blogger:myblog'],
  ['https://vimeo.com/someuser', 'vimeo:someuser'],
  ['https://blog.example.org/post', 'domain:example.org'],
  ['https://www.bbc.co.uk/news', 'domain:bbc.co.uk'],
  ['https://shop.example.com.au/item', 'domain:example.com.au'],
  ['https://someapp.herokuapp.com/', 'domain:someapp.herokuapp.com'],
  ['https://xn--mller-kva.de/', 'domain:xn--mller-kva.de'],
  ['https://müller.de/', 'domain:xn--mller-kva.de'],
];

for (const [url, key] of KEYS) {
  test(`${url} -> ${key}`, () => assert.equal(resolveLocally(url).key, key));
}

for (const url of ['https://www.youtube.com/watch?v=abc', 'https://youtu.be/abc', 'https://youtube.com/shorts/abc', 'https://vimeo.com/123456']) {
  test(`${url} needs a crawl: pending, nothing to check locally`, () => {
    const r = resolveLocally(url);
    assert.equal(r.pending, true);
    assert.deepEqual(r.candidates, []);
  });
}

test('a subdomain key, once verified, wins over the registrable domain', () => {
  const r = resolveLocally('https://www.Blog.Example.co.uk/post');
  assert.deepEqual(r.candidates, ['domain:blog.example.co.uk', 'domain:example.co.uk']);
  const none = pickClaimed(r, new Map());
  assert.deepEqual(none, { key: 'domain:example.co.uk', claimed: false, declined: false, source: 'domain' });
  const sub = pickClaimed(r, new Map([['domain:blog.example.co.uk', { declined: false }], ['domain:example.co.uk', { declined: false }]]));
  assert.deepEqual(sub, { key: 'domain:blog.example.co.uk', claimed: true, declined: false, source: 'subdomain' });
  const domainOnly = pickClaimed(r, new Map([['domain:example.co.uk', { declined: true }]]));
  assert.deepEqual(domainOnly, { key: 'domain:example.co.uk', claimed: true, declined: true, source: 'domain' });
});

test('a platform key is the only candidate: the site owner is not the creator', () => {
  assert.deepEqual(resolveLocally('https://alice.github.io/x').candidates, ['github:alice']);
});

test('pages that cannot be flattred have no key', () => {
  for (const url of ['chrome://newtab', 'file:///x', 'http://localhost/', 'http://10.0.0.1/']) {
    assert.throws(() => resolveLocally(url), /./, url);
  }
});

test('key fingerprints are SHA-256 of the UTF-8 key, lowercase hex', async () => {
  for (const key of ['domain:example.org', 'mastodon:ann@fosstodon.org', 'domain:xn--mller-kva.de', 'youtube:@é']) {
    assert.equal(await keySha256(key), createHash('sha256').update(key, 'utf8').digest('hex'));
  }
});

test('prefix answers may list objects or plain strings', () => {
  const claimed = claimedFromPrefixAnswer({ prefix: 'abcd', keys: [{ key: 'a:1', declined: true }, 'b:2', { nope: 1 }, 3] });
  assert.deepEqual([...claimed], [['a:1', { declined: true }], ['b:2', { declined: false }]]);
  assert.equal(claimedFromPrefixAnswer(null).size, 0);
  const split = claimedFromPrefixAnswer({ prefix: 'abcd', keys: ['a:1', 'b:2'], declined: ['b:2'] });
  assert.deepEqual([...split], [['a:1', { declined: false }], ['b:2', { declined: true }]]);
});

test('the public suffix list applies wildcard and exception rules', () => {
  assert.equal(registrableDomain('a.b.c.kawasaki.jp'), 'b.c.kawasaki.jp');
  assert.equal(registrableDomain('www.city.kawasaki.jp'), 'city.kawasaki.jp');
  assert.equal(registrableDomain('a.b.example.org'), 'example.org');
  assert.equal(registrableDomain('example.unknowntld'), null);
  assert.equal(registrableDomain('co.uk'), null);
});
