import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectUrl, parseConnectDone } from '../src/shared/connect.js';
import { cleanServiceUrl, serviceOriginPattern } from '../src/shared/storage.js';

const service = 'https://omniflattr.example/base';

test('the token and state come from the fragment of the service’s own /connect/done', () => {
  assert.deepEqual(parseConnectDone(`${service}/connect/done#token=t0k&state=abc`, service), { token: 't0k', state: 'abc' });
  assert.deepEqual(parseConnectDone(`${service}/connect/done?x=1#state=abc&token=a%2Bb`, service), { token: 'a+b', state: 'abc' });
});

test('a refusal comes back as an error with the state', () => {
  assert.deepEqual(parseConnectDone(`${service}/connect/done?denied=1#error=access_denied&state=abc`, service), { state: 'abc', error: 'access_denied' });
});

test('any other address, origin or missing part is not an answer', () => {
  for (const url of [
    `${service}/connect/done?token=t&state=s`, // a query string reaches servers: never accepted
    `${service}/connect/done#token=t`,
    `${service}/connect/done#state=s`,
    `${service}/connect/done/x#token=t&state=s`,
    `${service}/connect#token=t&state=s`,
    'https://evil.example/base/connect/done#token=t&state=s',
    'http://omniflattr.example/base/connect/done#token=t&state=s',
    'https://omniflattr.example:444/base/connect/done#token=t&state=s',
    'not a url',
  ]) {
    assert.equal(parseConnectDone(url, service), null, url);
  }
});

test('the connect page gets the state and a label', () => {
  assert.equal(connectUrl(service, 'abc', 'Omniflattr (Firefox)'), `${service}/connect?state=abc&label=Omniflattr+%28Firefox%29`);
});

test('service addresses are http(s) without credentials, trailing slashes removed', () => {
  assert.equal(cleanServiceUrl(' https://omniflattr.example/ '), 'https://omniflattr.example');
  assert.equal(cleanServiceUrl('http://127.0.0.1:8080/base//'), 'http://127.0.0.1:8080/base');
  for (const bad of ['ftp://x.example', 'javascript:alert(1)', 'https://u:p@x.example', 'nope', '']) {
    assert.equal(cleanServiceUrl(bad), null, bad);
  }
});

test('the host permission of a service covers its host on every port', () => {
  assert.equal(serviceOriginPattern('http://127.0.0.1:8080'), 'http://127.0.0.1/*');
  assert.equal(serviceOriginPattern('https://omniflattr.example/base'), 'https://omniflattr.example/*');
});
