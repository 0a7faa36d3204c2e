import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerError, MSG, createDispatcher } from '../src/shared/messages.js';

test('each message type reaches its handler with the message and the sender', async () => {
  const seen = [];
  const dispatch = createDispatcher({
    [MSG.STATE]: (message, sender) => { seen.push([message, sender]); return { fine: true }; },
    [MSG.UNDO]: async ({ tabId }) => ({ undone: tabId }),
  });
  assert.deepEqual(await dispatch({ type: MSG.STATE, tabId: 3 }, { id: 'me' }), { ok: true, result: { fine: true } });
  assert.deepEqual(seen, [[{ type: MSG.STATE, tabId: 3 }, { id: 'me' }]]);
  assert.deepEqual(await dispatch({ type: MSG.UNDO, tabId: 7 }), { ok: true, result: { undone: 7 } });
});

test('unknown types, inherited names and malformed messages get an error answer', async () => {
  const dispatch = createDispatcher({ [MSG.STATE]: () => 1 });
  for (const message of [{ type: 'nope' }, { type: 'toString' }, { type: '__proto__' }, {}, null, 'state']) {
    const answer = await dispatch(message);
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, 'unknown_message');
  }
});

test('a failing handler answers with its code and message, never throws', async () => {
  const dispatch = createDispatcher({
    a: () => { throw new HandlerError('invalid_weight', 'From 1 to 5.'); },
    b: async () => { throw Object.assign(new Error('slow down'), { code: 'rate_limited', retryAt: 99 }); },
    c: () => { throw new TypeError('boom'); },
  });
  assert.deepEqual(await dispatch({ type: 'a' }), { ok: false, error: { code: 'invalid_weight', message: 'From 1 to 5.' } });
  assert.deepEqual(await dispatch({ type: 'b' }), { ok: false, error: { code: 'rate_limited', message: 'slow down', retryAt: 99 } });
  assert.deepEqual(await dispatch({ type: 'c' }), { ok: false, error: { code: 'internal_error', message: 'boom' } });
});

test('message types are unique', () => {
  const types = Object.values(MSG);
  assert.equal(new Set(types).size, types.length);
});
