// A toolbar click: flattr the tab's page at once, show it on the badge, and keep the click
// in the queue until the service has it (so no failure loses it).
import { api } from '../shared/browser.js';
import { limitHints } from '../shared/hints.js';
import { getTabState, setTabState, updateTabState, withLock } from '../shared/storage.js';
import { normalizeUrl, unflattrableReason } from '../shared/urls.js';
import { readHeadSignals } from '../content/head-signals.js';
import { ApiFailure } from './api-client.js';
import { showBadge } from './badge.js';
import { client } from './client.js';
import {
  afterFailure, deferAll, dueItems, enqueue, nextWakeAt, removeItem, updateItem,
} from './queue.js';

export const RETRY_ALARM = 'omniflattr-retry';
const POPUP = 'src/popup/popup.html';

export async function loadQueue() {
  return (await api.storage.local.get('queue')).queue ?? [];
}

async function saveQueue(queue) {
  await api.storage.local.set({ queue });
  const wake = nextWakeAt(queue);
  if (wake === null) await api.alarms.clear(RETRY_ALARM);
  else await api.alarms.create(RETRY_ALARM, { when: Math.max(wake, Date.now() + 1000) });
}

/** Change the queue under a lock, so two events never overwrite each other's changes. */
export function changeQueue(change) {
  return withLock('queue', async () => {
    const queue = await loadQueue();
    const { queue: next, value } = await change(queue);
    if (next !== queue) await saveQueue(next);
    return value;
  });
}

async function setTabView(tabId, state) {
  await setTabState(tabId, state);
  await showBadge(tabId, state);
  // From now on a click on this tab opens the popup (weight, undo, subscribe, gift).
  await api.action.setPopup({ tabId, popup: POPUP }).catch(() => {});
}

/** Read the page's <head> signals; the page may forbid scripts (then: no hints). */
async function readHints(tabId) {
  try {
    const [frame] = await api.scripting.executeScript({ target: { tabId }, func: readHeadSignals });
    return limitHints(frame?.result ?? null);
  } catch {
    return null;
  }
}

/** The toolbar click (and the popup's "Flattr this page"). */
export async function flattrTab(tab) {
  const tabId = tab.id;
  const reason = unflattrableReason(tab.url);
  if (reason) {
    // Nothing is sent: the page is not on the public web (or the browser hides its URL).
    await setTabView(tabId, { status: 'unflattrable', reason, url: tab.url ?? null, at: Date.now() });
    return getTabState(tabId);
  }
  const normalized = normalizeUrl(tab.url);
  const id = globalThis.crypto.randomUUID();
  await setTabView(tabId, { status: 'sending', url: tab.url, normalized, id, at: Date.now() });
  const hints = await readHints(tabId);
  let item;
  try {
    item = await changeQueue(async (queue) => {
      const added = enqueue(queue, { id, url: tab.url, normalized, hints, tabId, queuedAt: Date.now() });
      return { queue: added.queue, value: added.item };
    });
  } catch (error) {
    await setTabView(tabId, { status: 'error', url: tab.url, normalized, error: { kind: 'rejected', code: error.code, message: error.message } });
    return getTabState(tabId);
  }
  if (item.id !== id) await updateTabState(tabId, { id: item.id });
  await withLock('send', async () => {
    // A flush may have sent it meanwhile: send only what is still waiting, and nothing
    // while the service's Retry-After holds.
    const queue = await loadQueue();
    const waiting = queue.find((q) => q.id === item.id);
    const holdUntil = Math.max(0, ...queue.map((q) => q.notBefore ?? 0));
    if (waiting && holdUntil <= Date.now()) await sendItem(waiting);
    else if (waiting) {
      await changeQueue(async (q) => ({ queue: deferAll(q, holdUntil), value: null }));
      const last = queue.find((q) => q.lastError)?.lastError ?? { kind: 'rate_limited' };
      await setTabView(tabId, { status: 'queued', url: tab.url, normalized, id: item.id, error: { ...last, retryAt: holdUntil }, queued: true, at: Date.now() });
    }
  });
  return getTabState(tabId);
}

/** The tabs showing this page's click (two tabs may show the same page). */
async function tabsOf(item) {
  const all = await api.storage.session.get(null);
  return Object.entries(all)
    .filter(([key, state]) => key.startsWith('tab:') && state?.normalized === item.normalized && state.status !== 'undone')
    .map(([key]) => Number(key.slice(4)));
}

/** Send one queued flattr; returns the failure that stopped it, or null. */
export async function sendItem(item) {
  try {
    // The normalised address: no fragment, credentials or tracking parameters leave the browser.
    const flattr = await client.flattr({ url: item.normalized ?? item.url, weight: item.weight, hints: item.hints });
    await changeQueue(async (queue) => ({ queue: removeItem(queue, item.id), value: null }));
    for (const tabId of await tabsOf(item)) {
      await setTabView(tabId, { status: 'done', url: item.url, normalized: item.normalized, id: item.id, flattr, weight: flattr.weight ?? item.weight ?? 1, at: Date.now() });
    }
    return null;
  } catch (error) {
    const failure = error instanceof ApiFailure ? error : new ApiFailure('server', { message: String(error?.message ?? error) });
    const keep = failure.retryable || failure.kind === 'not_connected' || failure.kind === 'unauthorized';
    await changeQueue(async (queue) => {
      if (!keep) return { queue: removeItem(queue, item.id), value: null };
      let next = afterFailure(queue, item.id, failure, Date.now());
      if (failure.retryAfter) next = deferAll(next, Date.now() + failure.retryAfter * 1000);
      // Not connected: wait for a connection (connecting sends the queue), not a timer.
      if (!failure.retryable) next = updateItem(next, item.id, { nextAttemptAt: Date.now() + 30 * 60_000 });
      return { queue: next, value: null };
    });
    for (const tabId of await tabsOf(item)) {
      const error = { kind: failure.kind, code: failure.code, message: failure.message, ...(failure.retryAfter ? { retryAt: Date.now() + failure.retryAfter * 1000 } : {}) };
      const status = failure.retryable ? 'queued' : 'error';
      await setTabView(tabId, { status, url: item.url, normalized: item.normalized, id: item.id, error, queued: keep, at: Date.now() });
    }
    return failure;
  }
}

/**
 * Send what is due (or everything, when `all`), oldest first; stop at the first sign that
 * the service is away or busy, leaving the rest for the retry alarm. One send at a time,
 * so a flattr is never sent twice by two events at once.
 */
export function flushQueue(options = {}) {
  return withLock('send', () => flushUnlocked(options));
}

async function flushUnlocked({ all = false } = {}) {
  const items = dueItems(await loadQueue(), Date.now(), { ignoreBackoff: all });
  let sent = 0;
  for (const item of items) {
    const failure = await sendItem(item);
    if (failure === null) sent += 1;
    else if (failure.retryable || failure.kind === 'not_connected' || failure.kind === 'unauthorized') break;
  }
  return { sent, waiting: (await loadQueue()).length };
}

export async function onAlarm(alarm) {
  if (alarm.name === RETRY_ALARM) await flushQueue();
}
