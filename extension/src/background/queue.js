// Flattrs waiting to be sent (service unreachable, slowed down, not connected yet).
// Pure functions over the queue array; storage.local keeps it across worker and browser
// restarts, so a click is never lost.

export const MAX_QUEUE = 500;
export const FIRST_RETRY_MS = 5_000;
export const MAX_RETRY_MS = 30 * 60_000;

/** Wait before the next try after `attempts` failed ones: 5 s, 10 s, 20 s ... 30 min. */
export function backoffMs(attempts) {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Add a click to the queue. One flattr per page: a page already waiting keeps its first
 * click (and takes the newer weight, if given). Returns {queue, item, added}.
 */
export function enqueue(queue, item) {
  const existing = queue.find((q) => q.normalized === item.normalized);
  if (existing) {
    const merged = { ...existing, ...(item.weight ? { weight: item.weight } : {}), tabId: item.tabId ?? existing.tabId };
    return { queue: queue.map((q) => (q === existing ? merged : q)), item: merged, added: false };
  }
  if (queue.length >= MAX_QUEUE) {
    const error = new Error(`${MAX_QUEUE} flattrs are already waiting to be sent.`);
    error.code = 'queue_full';
    throw error;
  }
  const fresh = { attempts: 0, nextAttemptAt: 0, lastError: null, ...item };
  return { queue: [...queue, fresh], item: fresh, added: true };
}

export function removeItem(queue, id) {
  return queue.filter((q) => q.id !== id);
}

export function updateItem(queue, id, changes) {
  return queue.map((q) => (q.id === id ? { ...q, ...changes } : q));
}

/** The queue after a failed try: wait Retry-After when the service said so, else back off. */
export function afterFailure(queue, id, failure, now) {
  return queue.map((q) => {
    if (q.id !== id) return q;
    const attempts = q.attempts + 1;
    const waitMs = failure.retryAfter ? failure.retryAfter * 1000 : backoffMs(attempts);
    return {
      ...q,
      attempts,
      nextAttemptAt: now + waitMs,
      // The service's own Retry-After binds even a person's "Send now"; backoff does not.
      notBefore: failure.retryAfter ? now + failure.retryAfter * 1000 : 0,
      lastError: { kind: failure.kind, code: failure.code ?? failure.kind, message: failure.message ?? '' },
    };
  });
}

/**
 * The items to send now, oldest click first: those due, or with `ignoreBackoff` (a person
 * asked) every item the service has not told us to hold back (Retry-After).
 */
export function dueItems(queue, now, { ignoreBackoff = false } = {}) {
  return queue
    .filter((q) => (q.notBefore ?? 0) <= now && (ignoreBackoff || q.nextAttemptAt <= now))
    .sort((a, b) => a.queuedAt - b.queuedAt);
}

/** Hold every waiting item until at least `at` (the service asked everyone to wait). */
export function deferAll(queue, at) {
  return queue.map((q) => ({
    ...q,
    nextAttemptAt: Math.max(q.nextAttemptAt, at),
    notBefore: Math.max(q.notBefore ?? 0, at),
  }));
}

/** When the next try is due (ms since epoch), or null for an empty queue. */
export function nextWakeAt(queue) {
  return queue.length ? Math.min(...queue.map((q) => q.nextAttemptAt)) : null;
}
