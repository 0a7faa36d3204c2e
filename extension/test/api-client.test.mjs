// The API client against a real local HTTP server (node:http): every way a call can fail
// becomes the kind the extension acts on, and a 401 forgets the token.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { ApiFailure, createApiClient, failureFor, parseRetryAfter } from '../src/background/api-client.js';

let server;
let base;
const seen = [];
let answer = () => [200, {}, { ok: true }];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body: body ? JSON.parse(body) : null });
      const [status, headers, payload] = answer(req);
      res.writeHead(status, { 'Content-Type': typeof payload === 'string' ? 'text/html' : 'application/json', ...headers });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

/** Same get/set contract as chrome.storage.local, kept in a Map. */
function memoryStorage(initial = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    async get(key) { return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {}; },
    async set(items) { for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v)); },
  };
}

const connected = () => memoryStorage({ auth: { token: 'tok-123456', account: { email: 'a@example.org' }, problem: null } });
const clientWith = (storage, url = base) => createApiClient({ storage, getServiceUrl: async () => url });

async function failure(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiFailure, String(error));
    return error;
  }
  assert.fail('expected a failure');
}

test('a flattr is POSTed with the bearer token and its JSON answer returned', async () => {
  seen.length = 0;
  answer = () => [201, {}, { id: 'f1', already: false, key: 'domain:example.org' }];
  const result = await clientWith(connected()).flattr({ url: 'https://example.org/p', weight: 2, hints: { canonical: 'x' } });
  assert.deepEqual(result, { id: 'f1', already: false, key: 'domain:example.org' });
  assert.deepEqual(seen[0], { method: 'POST', url: '/api/v1/flattrs', auth: 'Bearer tok-123456', body: { url: 'https://example.org/p', weight: 2, hints: { canonical: 'x' } } });
});

test('query parameters are encoded and public routes send no token', async () => {
  seen.length = 0;
  answer = () => [200, {}, { key: 'k', total_cents: 5 }];
  await clientWith(connected()).escrow('mastodon:ann@fosstodon.org');
  await clientWith(connected()).keysByPrefix('ab12');
  assert.equal(seen[0].url, '/api/v1/escrow?key=mastodon%3Aann%40fosstodon.org');
  assert.equal(seen[0].auth, undefined);
  assert.equal(seen[1].url, '/api/v1/keys/by-prefix/ab12');
  assert.equal(seen[1].auth, undefined);
});

test('401 puts the extension in the not-connected state and says so next time', async () => {
  answer = () => [401, {}, { error: { code: 'invalid_token', message: 'This token is unknown or was revoked; connect again.' } }];
  const storage = connected();
  const client = clientWith(storage);
  const error = await failure(client.me());
  assert.equal(error.kind, 'unauthorized');
  assert.equal(error.retryable, false);
  assert.deepEqual(await client.connection(), { connected: false, account: { email: 'a@example.org' }, problem: 'revoked' });
  seen.length = 0;
  assert.equal((await failure(client.flattr({ url: 'https://example.org/' }))).kind, 'not_connected');
  assert.equal(seen.length, 0, 'nothing is sent without a token');
});

test('429 and 503 carry Retry-After; other 5xx are retryable; other 4xx are final', async () => {
  const client = clientWith(connected());
  answer = () => [429, { 'Retry-After': '42' }, { error: { code: 'rate_limited', message: 'Slow down.' } }];
  let error = await failure(client.flattr({ url: 'https://example.org/' }));
  assert.deepEqual([error.kind, error.retryAfter, error.retryable, error.message], ['rate_limited', 42, true, 'Slow down.']);
  answer = () => [503, { 'Retry-After': '7' }, { error: { code: 'database_unavailable', message: 'Back soon.' } }];
  error = await failure(client.flattr({ url: 'https://example.org/' }));
  assert.deepEqual([error.kind, error.retryAfter, error.code], ['unavailable', 7, 'database_unavailable']);
  answer = () => [502, {}, '<html>bad gateway</html>'];
  error = await failure(client.flattr({ url: 'https://example.org/' }));
  assert.deepEqual([error.kind, error.retryAfter, error.code], ['unavailable', 30, 'http_502']);
  answer = () => [500, {}, { error: { code: 'internal_error', message: 'Logged.' } }];
  assert.equal((await failure(client.flattr({ url: 'https://example.org/' }))).kind, 'server');
  answer = () => [422, {}, { error: { code: 'key_declined', message: 'The creator declines donations.' } }];
  error = await failure(client.flattr({ url: 'https://example.org/' }));
  assert.deepEqual([error.kind, error.code, error.retryable], ['rejected', 'key_declined', false]);
  answer = () => [400, {}, { error: { code: 'invalid_url', message: 'Not a public page.' } }];
  assert.equal((await failure(client.flattr({ url: 'https://example.org/' }))).code, 'invalid_url');
});

test('an unreachable service is "offline" (retryable)', async () => {
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${closed.address().port}`;
  await new Promise((resolve) => closed.close(resolve));
  const error = await failure(clientWith(connected(), url).flattr({ url: 'https://example.org/' }));
  assert.equal(error.kind, 'offline');
  assert.equal(error.retryable, true);
});

test('a pasted token is checked with /me before it is kept; disconnect revokes it', async () => {
  const storage = memoryStorage();
  const client = clientWith(storage);
  seen.length = 0;
  answer = (req) => (req.url === '/api/v1/me' && req.headers.authorization === 'Bearer good-token-1'
    ? [200, {}, { id: 'u1', email: 'ann@example.org', display_name: 'Ann', balance_cents: 0 }]
    : req.method === 'DELETE' ? [204, {}, ''] : [401, {}, { error: { code: 'invalid_token', message: 'no' } }]);
  assert.equal((await failure(client.connectWithToken('bad-token-1'))).kind, 'unauthorized');
  assert.equal((await client.connection()).connected, false);
  assert.equal((await failure(client.connectWithToken('short'))).code, 'invalid_token');
  assert.deepEqual(await client.connectWithToken('  good-token-1\n'), { id: 'u1', email: 'ann@example.org', display_name: 'Ann' });
  assert.deepEqual(await client.connection(), { connected: true, account: { id: 'u1', email: 'ann@example.org', display_name: 'Ann' }, problem: null });
  assert.deepEqual(await client.disconnect(), { revoked: true });
  assert.deepEqual(seen.at(-1), { method: 'DELETE', url: '/api/v1/tokens/current', auth: 'Bearer good-token-1', body: null });
  assert.equal((await client.connection()).connected, false);
});

test('Retry-After accepts seconds or an HTTP date, within sane bounds', () => {
  const now = Date.parse('2026-11-15T12:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120);
  assert.equal(parseRetryAfter('Sun, 15 Nov 2026 12:01:30 GMT', now), 90);
  assert.equal(parseRetryAfter('0', now), 1);
  assert.equal(parseRetryAfter('999999', now), 3600);
  assert.equal(parseRetryAfter(null, now), 30);
  assert.equal(parseRetryAfter('soon', now), 30);
  assert.equal(failureFor(404, null, null).code, 'http_404');
});
