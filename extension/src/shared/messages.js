// Messages between the popup/options pages and the background worker: one map from a
// message type to its handler, instead of a chain of ifs.

export const MSG = Object.freeze({
  STATE: 'state', // {tabId?} -> everything a popup or options page shows
  FLATTR_TAB: 'flattr.tab', // {tabId}
  SET_WEIGHT: 'flattr.weight', // {tabId, weight}
  UNDO: 'flattr.undo', // {tabId}
  SUBSCRIBE: 'flattr.subscribe', // {tabId, months}
  GIFT: 'flattr.gift', // {tabId, amountCents}
  SAVE_SETTINGS: 'settings.save', // {serviceUrl?, browseStatus?}
  PAIR_START: 'pairing.start', // {}
  PASTE_TOKEN: 'token.paste', // {token}
  DISCONNECT: 'token.disconnect', // {}
  FLUSH_QUEUE: 'queue.flush', // {}
});

/** An error a handler throws on purpose: its code and message reach the page as they are. */
export class HandlerError extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.code = code;
    Object.assign(this, extra);
  }
}

/**
 * A dispatcher for `runtime.onMessage`: `(message, sender) => Promise<{ok, result | error}>`.
 * Unknown types and thrown errors become `{ok: false, error: {code, message}}`, so a page
 * always gets an answer it can show.
 */
export function createDispatcher(handlers) {
  return async function dispatch(message, sender) {
    const handler =
      message && typeof message.type === 'string' && Object.hasOwn(handlers, message.type)
        ? handlers[message.type]
        : null;
    if (!handler) {
      return { ok: false, error: { code: 'unknown_message', message: `Unknown message ${message?.type}` } };
    }
    try {
      return { ok: true, result: await handler(message, sender) };
    } catch (error) {
      return {
        ok: false,
        error: {
          code: error?.code ?? 'internal_error',
          message: error?.message ?? String(error),
          ...(error?.retryAt ? { retryAt: error.retryAt } : {}),
        },
      };
    }
  };
}
