// The one message map shared by the popup and the options page.
import { api } from '../shared/browser.js';
import { HandlerError, MSG } from '../shared/messages.js';
import {
  cleanServiceUrl, getSettings, getTabState, removeTabState, saveSettings, serviceOriginPattern, updateTabState,
} from '../shared/storage.js';
import { normalizeUrl } from '../shared/urls.js';
import { showBadge } from './badge.js';
import { client } from './client.js';
import { changeQueue, flattrTab, flushQueue, loadQueue } from './flattr.js';
import { pasteToken, startPairing } from './pairing.js';
import { removeItem, updateItem } from './queue.js';

/**
 * The tab's state, or null when the tab now shows another page. A site that changes its
 * address without loading a page (history.pushState, as YouTube does) gets no "loading"
 * update in Firefox, so the last click's answer would stay on the next video.
 */
async function currentTabState(tabId) {
  const state = await getTabState(tabId);
  if (!state?.normalized) return state;
  const tab = await api.tabs.get(tabId).catch(() => null);
  let now = null;
  try {
    now = tab?.url ? normalizeUrl(tab.url) : null; // readable while the popup is open (activeTab)
  } catch {
    now = null;
  }
  if (now === null || now === state.normalized) return state;
  await removeTabState(tabId);
  await showBadge(tabId, null);
  await api.action.setPopup({ tabId, popup: '' }).catch(() => {});
  return null;
}

async function queueSummary() {
  const queue = await loadQueue();
  return {
    count: queue.length,
    nextAttemptAt: queue.length ? Math.min(...queue.map((q) => q.nextAttemptAt)) : null,
    lastError: queue.find((q) => q.lastError)?.lastError ?? null,
  };
}

async function permissions(serviceUrl) {
  const origin = serviceOriginPattern(serviceUrl);
  const [host, tabs] = await Promise.all([
    api.permissions.contains({ origins: [origin] }),
    api.permissions.contains({ permissions: ['tabs'] }),
  ]);
  return { host, tabs, origin };
}

async function tabOrFail(tabId) {
  const state = await getTabState(tabId);
  if (!state?.normalized) throw new HandlerError('no_flattr', 'This tab has no flattr yet.');
  return state;
}

/** Refresh what the popup shows: the account's month, the escrow of an unclaimed key. */
async function extras(state, connection) {
  const out = { me: null, escrow: null, problems: [] };
  const jobs = [];
  if (connection.connected) {
    jobs.push(client.me().then((me) => { out.me = me; }, (e) => out.problems.push(e.kind)));
  }
  const flattr = state?.status === 'done' ? state.flattr : null;
  if (flattr && !flattr.claimed && flattr.key) {
    jobs.push(client.escrow(flattr.key).then((e) => { out.escrow = e; }, () => {}));
  }
  await Promise.all(jobs);
  return out;
}

export const handlers = {
  async [MSG.STATE]({ tabId }) {
    const settings = await getSettings();
    const tab = tabId == null ? null : await currentTabState(tabId);
    const connection = await client.connection();
    const { pairing, pairingProblem } = await api.storage.session.get(['pairing', 'pairingProblem']);
    return {
      settings,
      connection,
      tab,
      queue: await queueSummary(),
      permissions: await permissions(settings.serviceUrl),
      pairing: { pending: Boolean(pairing), problem: pairing?.problem ?? pairingProblem ?? null },
      ...(tabId == null ? {} : await extras(tab, connection)),
    };
  },

  async [MSG.FLATTR_TAB]({ tabId }) {
    const tab = await api.tabs.get(tabId);
    return flattrTab(tab);
  },

  async [MSG.SET_WEIGHT]({ tabId, weight }) {
    if (!Number.isInteger(weight) || weight < 1 || weight > 5) {
      throw new HandlerError('invalid_weight', 'The weight is a whole number from 1 to 5.');
    }
    const state = await tabOrFail(tabId);
    if (state.status === 'done') {
      const changed = await client.setWeight(state.flattr.id, weight);
      return updateTabState(tabId, { weight, flattr: { ...state.flattr, ...changed, weight } });
    }
    // Not sent yet: the queued click carries the new weight.
    await changeQueue(async (queue) => ({ queue: updateItem(queue, state.id, { weight }), value: null }));
    return updateTabState(tabId, { weight });
  },

  async [MSG.UNDO]({ tabId }) {
    const state = await tabOrFail(tabId);
    if (state.status === 'done') await client.undo(state.flattr.id);
    else await changeQueue(async (queue) => ({ queue: removeItem(queue, state.id), value: null }));
    const next = await updateTabState(tabId, { status: 'undone', at: Date.now() });
    await showBadge(tabId, null);
    return next;
  },

  async [MSG.SUBSCRIBE]({ tabId, months }) {
    if (![3, 6, 12].includes(months)) throw new HandlerError('invalid_months', 'Subscribe for 3, 6 or 12 months.');
    const state = await tabOrFail(tabId);
    const subscription = await client.subscribe({ url: state.normalized ?? state.url, months, weight: state.weight });
    return updateTabState(tabId, { subscription: { months, ...subscription } });
  },

  async [MSG.GIFT]({ tabId, amountCents }) {
    if (!Number.isInteger(amountCents) || amountCents <= 0) {
      throw new HandlerError('invalid_amount', 'Enter an amount such as 5 or 2.50.');
    }
    const state = await tabOrFail(tabId);
    const key = state.flattr?.key;
    const gift = await client.gift(key ? { key, amountCents } : { url: state.normalized ?? state.url, amountCents });
    return updateTabState(tabId, { gift: { amount_cents: amountCents, ...gift } });
  },

  async [MSG.SAVE_SETTINGS]({ serviceUrl, browseStatus }) {
    const changes = {};
    if (serviceUrl !== undefined) {
      const clean = cleanServiceUrl(serviceUrl);
      if (!clean) throw new HandlerError('invalid_service_url', 'The service URL must start with http:// or https://.');
      const before = await getSettings();
      if (clean !== before.serviceUrl) {
        // A token belongs to one service: forget it (revoking it there if we can).
        await client.disconnect().catch(() => {});
        // Flattrs waiting for the old service are not the new service's to receive.
        await api.storage.local.remove(['prefixCache', 'queue']);
        changes.serviceUrl = clean;
      }
    }
    if (browseStatus !== undefined) changes.browseStatus = Boolean(browseStatus);
    return saveSettings(changes);
  },

  [MSG.PAIR_START]: () => startPairing(),
  [MSG.PASTE_TOKEN]: ({ token }) => pasteToken(token),
  [MSG.DISCONNECT]: () => client.disconnect(),
  [MSG.FLUSH_QUEUE]: () => flushQueue({ all: true }),
};
