import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_QUEUE, MAX_RETRY_MS, afterFailure, backoffMs, deferAll, dueItems, enqueue, nextWakeAt, removeItem,
} from '../src/background/queue.js';

const click = (id, normalized, queuedAt = 1000, extra = {}) => ({ id, url: normalized, normalized, queuedAt, ...extra });

test('a click is queued once per page: a second click on the same page keeps the first', () => {
  let { queue, added } = enqueue([], click('a', 'https://example.org/p'));
  assert.equal(added, true);
  const again = enqueue(queue, click('b', 'https://example.org/p', 2000, { weight: 4 }));
  assert.equal(again.added, false);
  assert.equal(again.queue.length, 1);
  assert.equal(again.item.id, 'a');
  assert.equal(again.item.weight, 4, 'the newer weight is kept');
  ({ queue } = enqueue(again.queue, click('c', 'https://example.org/other')));
  assert.deepEqual(queue.map((q) => q.id), ['a', 'c']);
});

test('a full queue refuses a new page instead of dropping an old one', () => {
  let queue = [];
  for (let i = 0; i < MAX_QUEUE; i++) queue = enqueue(queue, click(`${i}`, `https://example.org/${i}`)).queue;
  assert.throws(() => enqueue(queue, click('x', 'https://example.org/x')), (e) => e.code === 'queue_full');
  assert.equal(enqueue(queue, click('y', 'https://example.org/3')).added, false, 'a page already waiting is fine');
});

test('failures back off exponentially, capped, and Retry-After wins', () => {
  assert.equal(backoffMs(1), 5000);
  assert.equal(backoffMs(2), 10000);
  assert.equal(backoffMs(3), 20000);
  assert.equal(backoffMs(50), MAX_RETRY_MS);
  let { queue } = enqueue([], click('a', 'https://example.org/a'));
  queue = afterFailure(queue, 'a', { kind: 'offline' }, 10_000);
  assert.equal(queue[0].attempts, 1);
  assert.equal(queue[0].nextAttemptAt, 15_000);
  assert.deepEqual(queue[0].lastError, { kind: 'offline', code: 'offline', message: '' });
  queue = afterFailure(queue, 'a', { kind: 'rate_limited', code: 'rate_limited', retryAfter: 120 }, 20_000);
  assert.equal(queue[0].attempts, 2);
  assert.equal(queue[0].nextAttemptAt, 140_000);
});

test('only due items are sent, oldest click first; the alarm wakes for the earliest', () => {
  let queue = [];
  queue = enqueue(queue, click('late', 'https://example.org/1', 3000)).queue;
  queue = enqueue(queue, click('early', 'https://example.org/2', 1000)).queue;
  queue = enqueue(queue, click('waiting', 'https://example.org/3', 2000)).queue;
  queue = afterFailure(queue, 'waiting', { kind: 'offline' }, 50_000);
  assert.deepEqual(dueItems(queue, 50_000).map((q) => q.id), ['early', 'late']);
  assert.equal(nextWakeAt(queue), 0);
  queue = deferAll(queue, 90_000);
  assert.deepEqual(dueItems(queue, 80_000), []);
  assert.equal(nextWakeAt(queue), 90_000);
  assert.equal(nextWakeAt(removeItem(removeItem(removeItem(queue, 'late'), 'early'), 'waiting')), null);
});

test("the service's Retry-After holds even a person's Send now; backoff does not", () => {
  let queue = [];
  queue = enqueue(queue, click('offline', 'https://example.org/1', 1000)).queue;
  queue = enqueue(queue, click('busy', 'https://example.org/2', 2000)).queue;
  queue = afterFailure(queue, 'offline', { kind: 'offline' }, 10_000);
  queue = afterFailure(queue, 'busy', { kind: 'unavailable', retryAfter: 2 }, 10_000);
  assert.deepEqual(dueItems(queue, 10_500).map((q) => q.id), []);
  assert.deepEqual(dueItems(queue, 10_500, { ignoreBackoff: true }).map((q) => q.id), ['offline']);
  assert.deepEqual(dueItems(queue, 12_000, { ignoreBackoff: true }).map((q) => q.id), ['offline', 'busy']);
  queue = deferAll(queue, 20_000);
  assert.deepEqual(dueItems(queue, 19_999, { ignoreBackoff: true }), []);
});
