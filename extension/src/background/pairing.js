// Connecting without copying a secret (architecture.md, "Extension pairing"): open the
// service's connect page with a random state; once the person approves, the service sends
// that tab to /connect/done#token=...&state=...; the fragment never reaches a server. The
// host permission for the service lets the worker read that one tab's URL.
import { api } from '../shared/browser.js';
import { HandlerError } from '../shared/messages.js';
import { connectUrl, parseConnectDone } from '../shared/connect.js';
import { getSettings } from '../shared/storage.js';
import { client } from './client.js';
import { flushQueue } from './flattr.js';

const PAIRING_TTL_MS = 15 * 60_000;

function randomState() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function startPairing() {
  const { serviceUrl } = await getSettings();
  const state = randomState();
  const label = `${api.runtime.getManifest().name} (${navigator.userAgent.includes('Firefox') ? 'Firefox' : 'Chromium'})`;
  const url = connectUrl(serviceUrl, state, label);
  const tab = await api.tabs.create({ url });
  await api.storage.session.set({ pairing: { state, tabId: tab.id, serviceUrl, startedAt: Date.now(), problem: null } });
  return { tabId: tab.id };
}

export async function onPairingTabUpdated(tabId, changeInfo, tab) {
  const { pairing } = await api.storage.session.get('pairing');
  if (!pairing || pairing.tabId !== tabId) return;
  if (Date.now() - pairing.startedAt > PAIRING_TTL_MS) {
    await api.storage.session.remove('pairing');
    return;
  }
  const done = parseConnectDone(changeInfo.url ?? tab?.url ?? '', pairing.serviceUrl);
  if (!done) return;
  if (done.state !== pairing.state) {
    // Not the answer to our request (an old tab, or someone else's link): never use it.
    await api.storage.session.set({ pairing: { ...pairing, problem: 'state_mismatch' } });
    return;
  }
  await api.storage.session.remove('pairing');
  if (done.error) {
    await api.storage.session.set({ pairingProblem: done.error });
    await api.tabs.remove(tabId).catch(() => {});
    return;
  }
  try {
    await client.connectWithToken(done.token);
  } catch (error) {
    await api.storage.session.set({ pairingProblem: error.code ?? 'connect_failed' });
    return;
  }
  await api.storage.session.remove('pairingProblem');
  await api.tabs.remove(tabId).catch(() => {});
  await flushQueue({ all: true });
}

export async function onPairingTabRemoved(tabId) {
  const { pairing } = await api.storage.session.get('pairing');
  if (pairing?.tabId === tabId) await api.storage.session.remove('pairing');
}

export async function pasteToken(token) {
  try {
    const account = await client.connectWithToken(token);
    await flushQueue({ all: true });
    return account;
  } catch (error) {
    if (error.kind === 'unauthorized') throw new HandlerError('invalid_token', error.message);
    throw error;
  }
}
