// The popup: what the click did on this tab, and what else can be done with it.
import { api } from '../shared/browser.js';
import { localizeDocument, t, uiLocale } from '../shared/i18n.js';
import { MSG } from '../shared/messages.js';
import { formatCents, parseAmountToCents } from '../shared/money.js';

const $ = (id) => document.getElementById(id);
const locale = uiLocale();
let tabId = null;
// The outcome of the person's last action here, kept across re-renders until the next one.
let feedback = '';

async function send(type, payload = {}) {
  const answer = await api.runtime.sendMessage({ type, ...payload });
  if (!answer?.ok) {
    const error = new Error(answer?.error?.message || answer?.error?.code || 'error');
    error.code = answer?.error?.code;
    throw error;
  }
  return answer.result;
}

const formatDate = (iso) => new Date(iso).toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric' });
const formatTime = (ms) => new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

const sentence = (text) => (text ? text.charAt(0).toLocaleUpperCase(locale) + text.slice(1) : '');

function setStatus(text, tone = '', detail = '') {
  $('status').textContent = text;
  $('status').className = `status ${tone}`;
  $('status-detail').textContent = sentence(detail);
}

function statusOf(state, connection) {
  const tab = state.tab;
  if (!tab || tab.status === 'browse') {
    return connection.connected ? [t('popup_status_none'), ''] : [t('popup_status_not_connected_idle'), 'warn'];
  }
  switch (tab.status) {
    case 'sending':
      return [t('popup_status_sending'), ''];
    case 'done':
      return tab.flattr?.already ? [t('popup_status_already'), 'ok'] : [t('popup_status_done'), 'ok'];
    case 'undone':
      return [t('popup_status_undone'), ''];
    case 'unflattrable':
      return [t('popup_status_unflattrable'), 'bad', t(`unflattrable_${tab.reason}`)];
    case 'queued': {
      const kind = tab.error?.kind ?? 'offline';
      const at = tab.error?.retryAt ?? state.queue.nextAttemptAt;
      const when = at ? t('popup_retry_at', formatTime(Math.max(at, Date.now()))) : '';
      return [t(`popup_status_queued_${kind}`), 'warn', when];
    }
    case 'error': {
      const kind = tab.error?.kind;
      if (kind === 'unauthorized' || (kind === 'not_connected' && connection.problem === 'revoked')) {
        return [t('popup_status_revoked'), 'bad'];
      }
      if (kind === 'not_connected') return [t('popup_status_not_connected'), 'bad'];
      if (tab.error?.code === 'key_declined') return [t('popup_status_declined'), 'bad', tab.error.message];
      if (tab.error?.code === 'invalid_url') return [t('popup_status_unflattrable'), 'bad', tab.error.message];
      return [t('popup_status_rejected'), 'bad', tab.error?.message || tab.error?.code || ''];
    }
    default:
      return [t('popup_status_none'), ''];
  }
}

function renderKey(state) {
  const tab = state.tab;
  const flattr = tab?.status === 'done' ? tab.flattr : null;
  const browse = tab?.status === 'browse' ? tab : null;
  const source = flattr ?? browse;
  $('key-section').hidden = !source;
  if (!source) return;
  $('key').textContent = source.key;
  const declined = Boolean(source.declined);
  const claimed = Boolean(source.claimed) && !declined;
  $('claimed').textContent = declined ? t('popup_declined') : claimed ? t('popup_claimed') : t('popup_unclaimed');
  $('claimed').className = `pill ${declined ? 'declined' : claimed ? 'claimed' : 'unclaimed'}`;
  const creator = flattr?.creator;
  $('creator').textContent = creator ? t('popup_creator', creator.display_name || creator.handle, creator.handle || '') : '';
  $('creator').hidden = !creator;
  const keys = flattr?.keys ?? [];
  $('co-authors').hidden = keys.length < 2;
  $('co-authors').textContent = keys.length > 1 ? t('popup_co_authors', keys.join(', ')) : '';
  const expires = flattr?.escrow?.expires_at ?? state.escrow?.expires_at;
  $('escrow-note').hidden = claimed || declined || !flattr;
  $('escrow-note').textContent = expires ? t('popup_escrow_until', formatDate(expires)) : t('popup_escrow');
  const escrow = state.escrow;
  const showTotal = !claimed && Number.isInteger(escrow?.total_cents) && escrow.total_cents > 0;
  $('escrow-total').hidden = !showTotal;
  $('escrow-total').textContent = showTotal
    ? t('popup_escrow_total', formatCents(escrow.total_cents, locale), String(escrow.supporters ?? 0)) : '';
  $('pending-note').hidden = !(flattr?.pending || browse?.pending);
}

function renderMonth(state) {
  const flattr = state.tab?.status === 'done' ? state.tab.flattr : null;
  const count = state.me?.month?.flattrs ?? flattr?.month_flattrs;
  const each = state.me?.month?.projected_per_flattr_cents ?? flattr?.projected_per_flattr_cents;
  $('month-section').hidden = !Number.isInteger(count);
  if (Number.isInteger(count)) {
    $('month').textContent = Number.isInteger(each) && each > 0
      ? t('popup_month', String(count), formatCents(each, locale))
      : t('popup_month_no_budget', String(count));
  }
}

function renderActions(state) {
  const tab = state.tab;
  const status = tab?.status;
  const hasFlattr = status === 'done' || status === 'queued' || (status === 'error' && tab.queued);
  const done = status === 'done';
  $('weight-form').hidden = !hasFlattr;
  const weight = String(tab?.weight ?? tab?.flattr?.weight ?? 1);
  // While changes are on their way, the radios show what the person chose, not an older answer.
  if (queued === 0) {
    for (const input of document.querySelectorAll('input[name="weight"]')) input.checked = input.value === weight;
  }
  const subscribed = done && tab.subscription;
  $('subscribe-form').hidden = !done || Boolean(subscribed);
  $('subscribed').hidden = !subscribed;
  $('subscribed').textContent = subscribed ? t('popup_subscribed', String(tab.subscription.months)) : '';
  $('gift-form').hidden = !done || tab.flattr?.declined;
  $('undo').hidden = !hasFlattr;
  const canFlattr = state.connection.connected && (!tab || ['browse', 'undone'].includes(status));
  $('flattr').hidden = !canFlattr;
  $('retry').hidden = !(state.queue.count > 0 && state.connection.connected);
  $('connect').hidden = state.connection.connected;
  const also = (done ? tab.flattr?.also_accepts : null) ?? [];
  const links = also.filter((a) => typeof a?.url === 'string' && /^https?:\/\//i.test(a.url));
  $('also-section').hidden = links.length === 0;
  $('also').replaceChildren(
    ...links.slice(0, 8).map((a) => {
      const li = document.createElement('li');
      const link = document.createElement('a');
      link.href = a.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.textContent = t(`also_${a.kind}`) !== `also_${a.kind}` ? `${t(`also_${a.kind}`)} — ${new URL(a.url).host}` : a.url;
      li.append(link);
      return li;
    }),
  );
}

function render(state) {
  const { connection } = state;
  $('account').textContent = connection.connected ? connection.account?.email ?? '' : t('popup_not_connected_short');
  const [text, tone, detail] = statusOf(state, connection);
  setStatus(text, tone, feedback || detail || '');
  renderKey(state);
  renderMonth(state);
  renderActions(state);
}

async function refresh() {
  render(await send(MSG.STATE, { tabId }));
}

let chain = Promise.resolve();
let queued = 0;

/**
 * Run actions one after the other, in the order the person made them (three quick weight
 * changes end on the last one). Controls stay enabled, so keyboard focus stays put.
 */
function act(type, payload, doneMessage) {
  queued += 1;
  chain = chain.then(() => run(type, payload, doneMessage)).finally(() => { queued -= 1; });
  return chain;
}

async function run(type, payload, doneMessage) {
  document.body.setAttribute('aria-busy', 'true');
  feedback = '';
  try {
    await send(type, { tabId, ...payload });
    feedback = doneMessage ?? '';
  } catch (error) {
    feedback = t('popup_action_failed', error.message);
  }
  try {
    await refresh();
  } catch {
    $('status-detail').textContent = feedback;
  } finally {
    document.body.removeAttribute('aria-busy');
  }
}

/** A form sends once until its answer is back (a double Enter gives one gift). */
function submitOnce(form, action) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (form.dataset.busy) return;
    const pending = action();
    if (!pending) return;
    form.dataset.busy = 'true';
    pending.finally(() => delete form.dataset.busy);
  });
}

function wire() {
  $('weight-form').addEventListener('change', (event) => {
    const weight = Number(event.target.value);
    act(MSG.SET_WEIGHT, { weight }, t('popup_weight_saved', String(weight)));
  });
  submitOnce($('subscribe-form'), () => {
    const months = Number($('months').value);
    return act(MSG.SUBSCRIBE, { months }, t('popup_subscribed', String(months)));
  });
  submitOnce($('gift-form'), () => {
    const amountCents = parseAmountToCents($('amount').value);
    if (amountCents === null) {
      feedback = t('popup_gift_invalid');
      $('status-detail').textContent = feedback;
      $('amount').focus();
      return null;
    }
    return act(MSG.GIFT, { amountCents }, t('popup_gift_sent', formatCents(amountCents, locale)));
  });
  $('undo').addEventListener('click', () => act(MSG.UNDO, {}));
  $('flattr').addEventListener('click', () => act(MSG.FLATTR_TAB, {}));
  $('retry').addEventListener('click', () => act(MSG.FLUSH_QUEUE, {}));
  $('connect').addEventListener('click', () => api.runtime.openOptionsPage());
  $('options').addEventListener('click', (event) => {
    event.preventDefault();
    api.runtime.openOptionsPage();
  });
  let pending = null;
  api.storage.onChanged.addListener((changes) => {
    const relevant = Object.keys(changes).some((k) => k === `tab:${tabId}` || k === 'queue' || k === 'auth');
    if (!relevant) return;
    clearTimeout(pending);
    pending = setTimeout(() => refresh().catch(() => {}), 80);
  });
}

async function start() {
  localizeDocument(document);
  const param = new URLSearchParams(location.search).get('tabId');
  if (param !== null && /^\d+$/.test(param)) tabId = Number(param);
  else {
    const [active] = await api.tabs.query({ active: true, currentWindow: true });
    tabId = active?.id ?? null;
  }
  wire();
  const state = await send(MSG.STATE, { tabId });
  // Opening the popup is a good moment to send what waits: the service may be back.
  if (state.queue.count > 0 && state.connection.connected) await send(MSG.FLUSH_QUEUE).catch(() => {});
  await refresh();
  document.body.dataset.ready = 'true';
}

start().catch((error) => setStatus(t('popup_action_failed', error.message), 'bad'));
