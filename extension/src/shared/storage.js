// Where the extension keeps its state. MV3 workers are stopped when idle, so nothing lives
// in globals: settings, the token and queued flattrs in storage.local (kept across browser
// restarts); what each tab shows in storage.session (one browser run).
import { api } from './browser.js';

export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8080';
export const DEFAULT_SETTINGS = Object.freeze({ serviceUrl: DEFAULT_SERVICE_URL, browseStatus: false });

/** The service's base URL without a trailing slash, or null when it is not http(s). */
export function cleanServiceUrl(raw) {
  let url;
  try {
    url = new URL(String(raw).trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    return null;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The host permission pattern for a service URL. Match patterns leave the port out (it
 * matches every port), which Firefox also requires.
 */
export function serviceOriginPattern(serviceUrl) {
  const url = new URL(serviceUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

export async function getSettings() {
  const { settings } = await api.storage.local.get('settings');
  return { ...DEFAULT_SETTINGS, ...(settings ?? {}) };
}

export async function saveSettings(changes) {
  const settings = { ...(await getSettings()), ...changes };
  await api.storage.local.set({ settings });
  return settings;
}

const tabKey = (tabId) => `tab:${tabId}`;

export async function getTabState(tabId) {
  const key = tabKey(tabId);
  return (await api.storage.session.get(key))[key] ?? null;
}

export async function setTabState(tabId, state) {
  await api.storage.session.set({ [tabKey(tabId)]: state });
  return state;
}

export async function updateTabState(tabId, changes) {
  const current = (await getTabState(tabId)) ?? {};
  return setTabState(tabId, { ...current, ...changes });
}

export async function removeTabState(tabId) {
  await api.storage.session.remove(tabKey(tabId));
}

const locks = new Map();

/**
 * Run `fn` after every earlier call with the same name has finished: read-modify-write of
 * one storage entry from two events at once must not lose an update. (Only ordering lives
 * here; a stopped worker loses nothing but the queue of waiters.)
 */
export function withLock(name, fn) {
  const previous = locks.get(name) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => {});
  locks.set(name, tail);
  tail.then(() => {
    if (locks.get(name) === tail) locks.delete(name);
  });
  return run;
}
