// The opt-in "show status while I browse" mode. The key of each page is resolved here,
// from the URL alone; whether it is claimed comes from /keys/by-prefix/{4 hex}, which
// only learns 16 bits of a hash shared by many keys, and is cached. No URL leaves the
// browser until the person flattrs.
import { api } from '../shared/browser.js';
import { claimedFromPrefixAnswer, keySha256, pickClaimed, resolveLocally } from '../shared/keys.js';
import { getSettings, getTabState, setTabState, withLock } from '../shared/storage.js';
import { showBadge } from './badge.js';
import { client } from './client.js';

export const PREFIX_TTL_MS = 6 * 60 * 60_000;
const MAX_CACHED_PREFIXES = 2000;

async function prefixAnswer(prefix) {
  return withLock(`prefix:${prefix}`, async () => {
    const { prefixCache = {} } = await api.storage.local.get('prefixCache');
    const cached = prefixCache[prefix];
    if (cached && Date.now() - cached.at < PREFIX_TTL_MS) return cached.keys;
    const answer = await client.keysByPrefix(prefix);
    const entries = [...claimedFromPrefixAnswer(answer)].map(([key, { declined }]) => ({ key, declined }));
    const fresh = { ...prefixCache, [prefix]: { keys: entries, at: Date.now() } };
    const names = Object.keys(fresh);
    if (names.length > MAX_CACHED_PREFIXES) {
      names.sort((a, b) => fresh[a].at - fresh[b].at);
      for (const name of names.slice(0, names.length - MAX_CACHED_PREFIXES)) delete fresh[name];
    }
    await api.storage.local.set({ prefixCache: fresh });
    return fresh[prefix].keys;
  });
}

/** {key, claimed, declined, source} of a URL, or null when it has no local answer. */
export async function browseStatus(url) {
  let resolution;
  try {
    resolution = resolveLocally(url);
  } catch {
    return null;
  }
  if (!resolution.candidates.length) return null;
  const claimed = new Map();
  for (const key of resolution.candidates) {
    const prefix = (await keySha256(key)).slice(0, 4);
    for (const [k, v] of claimedFromPrefixAnswer({ keys: await prefixAnswer(prefix) })) claimed.set(k, v);
  }
  return pickClaimed(resolution, claimed);
}

export async function onBrowseTabUpdated(tabId, changeInfo, tab) {
  if (changeInfo.status !== 'complete' || !tab?.url) return;
  const { browseStatus: enabled } = await getSettings();
  if (!enabled) return;
  const current = await getTabState(tabId);
  if (current && current.status !== 'browse') return; // a click's answer wins
  let status;
  try {
    status = await browseStatus(tab.url);
  } catch {
    return; // the service is away: show nothing rather than a guess
  }
  if (!status) return;
  const state = { status: 'browse', url: tab.url, ...status };
  await setTabState(tabId, state);
  await showBadge(tabId, state);
}
