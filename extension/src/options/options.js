// The options page: the service, the account (pairing, pasted token, disconnect), waiting
// flattrs, and the privacy mode.
import { api } from '../shared/browser.js';
import { localizeDocument, t, uiLocale } from '../shared/i18n.js';
import { MSG } from '../shared/messages.js';
import { cleanServiceUrl, serviceOriginPattern } from '../shared/storage.js';

const $ = (id) => document.getElementById(id);
let shownPairingProblem = false;

async function send(type, payload = {}) {
  const answer = await api.runtime.sendMessage({ type, ...payload });
  if (!answer?.ok) {
    const error = new Error(answer?.error?.message || answer?.error?.code || 'error');
    error.code = answer?.error?.code;
    throw error;
  }
  return answer.result;
}

function notice(text, tone = '') {
  $('notice').textContent = text;
  $('notice').className = `status ${tone}`;
}

let configuredServiceUrl = null; // the saved service, for the "grant" button (no await there)

function render(state) {
  const { connection, settings, queue, permissions, pairing } = state;
  configuredServiceUrl = settings.serviceUrl;
  if (document.activeElement !== $('service-url')) $('service-url').value = settings.serviceUrl;
  $('permission-row').hidden = permissions.host;
  if (connection.connected) {
    $('connection').textContent = t('options_connected_as', connection.account?.email ?? '?', settings.serviceUrl);
  } else if (connection.problem === 'revoked') {
    $('connection').textContent = t('options_revoked');
  } else {
    $('connection').textContent = t('options_not_connected');
  }
  $('connection').className = connection.connected ? '' : 'warn';
  $('connect-row').hidden = connection.connected;
  $('paste-details').hidden = connection.connected;
  $('disconnect').hidden = !connection.connected;
  $('queue-section').hidden = queue.count === 0;
  const nextTry = queue.nextAttemptAt ? new Date(queue.nextAttemptAt).toLocaleTimeString(uiLocale()) : '-';
  $('queue').textContent = connection.connected
    ? t('options_queue', String(queue.count), nextTry)
    : t('options_queue_not_connected', String(queue.count));
  $('flush').hidden = !connection.connected;
  $('browse-status').checked = settings.browseStatus && permissions.tabs;
  if (pairing.problem) {
    const known = ['state_mismatch', 'invalid_token', 'access_denied'].includes(pairing.problem);
    notice(t('options_pairing_problem', known ? t(`pairing_${pairing.problem}`) : pairing.problem), 'bad');
    shownPairingProblem = true;
  } else if (shownPairingProblem && connection.connected) {
    notice(t('options_connected_notice', connection.account?.email ?? ''), 'ok');
    shownPairingProblem = false;
  }
}

async function refresh() {
  render(await send(MSG.STATE, {}));
}

async function run(action, successText) {
  try {
    const result = await action();
    await refresh();
    if (successText) notice(typeof successText === 'function' ? successText(result) : successText, 'ok');
  } catch (error) {
    await refresh().catch(() => {});
    notice(t('options_failed', error.message), 'bad');
  }
}

/**
 * Ask for the host permission of a service origin. It must be the first thing a click
 * does: Firefox refuses the request once anything has been awaited since the user's
 * gesture. Asking for a permission already granted answers true without a prompt.
 */
function ensureHostPermission(serviceUrl) {
  return api.permissions.request({ origins: [serviceOriginPattern(serviceUrl)] });
}

function wire() {
  $('service-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const serviceUrl = cleanServiceUrl($('service-url').value);
    if (!serviceUrl) {
      notice(t('options_bad_url'), 'bad');
      return;
    }
    const granted = ensureHostPermission(serviceUrl); // first, inside the gesture
    run(async () => {
      if (!(await granted)) throw new Error(t('options_permission_refused'));
      return send(MSG.SAVE_SETTINGS, { serviceUrl });
    }, t('options_saved'));
  });
  $('grant').addEventListener('click', () => {
    const granted = configuredServiceUrl ? ensureHostPermission(configuredServiceUrl) : Promise.resolve(false);
    run(async () => {
      if (!(await granted)) throw new Error(t('options_permission_refused'));
    }, t('options_saved'));
  });
  $('pair').addEventListener('click', () => run(() => send(MSG.PAIR_START), t('options_pairing_started')));
  $('paste-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value;
    run(async () => {
      const account = await send(MSG.PASTE_TOKEN, { token });
      $('token').value = '';
      return account;
    }, (account) => t('options_connected_notice', account.email));
  });
  $('disconnect').addEventListener('click', () => run(
    () => send(MSG.DISCONNECT),
    (result) => (result.revoked ? t('options_disconnected') : t('options_disconnected_not_revoked')),
  ));
  $('flush').addEventListener('click', () => run(() => send(MSG.FLUSH_QUEUE), (r) => t('options_flushed', String(r.sent), String(r.waiting))));
  $('browse-status').addEventListener('change', (event) => {
    const enabled = event.target.checked;
    run(async () => {
      if (enabled) {
        // Reading the address of each tab is what this mode needs; asked only now.
        const granted = await api.permissions.request({ permissions: ['tabs'] });
        if (!granted) throw new Error(t('options_permission_refused'));
      } else {
        await api.permissions.remove({ permissions: ['tabs'] }).catch(() => false);
      }
      return send(MSG.SAVE_SETTINGS, { browseStatus: enabled });
    }, enabled ? t('options_browse_on') : t('options_browse_off'));
  });
  api.storage.onChanged.addListener((changes) => {
    if (['auth', 'queue', 'settings', 'pairing', 'pairingProblem'].some((k) => k in changes)) refresh().catch(() => {});
  });
}

async function start() {
  localizeDocument(document);
  wire();
  await refresh();
  document.body.dataset.ready = 'true';
}

start().catch((error) => notice(t('options_failed', error.message), 'bad'));
