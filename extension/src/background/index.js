// The background worker: every listener is registered synchronously here, at the top
// level, so the browser finds them when it wakes the worker for an event. All state is in
// chrome.storage (see shared/storage.js); nothing is kept in globals between events.
import { api } from '../shared/browser.js';
import { createDispatcher } from '../shared/messages.js';
import { removeTabState } from '../shared/storage.js';
import { showBadge } from './badge.js';
import { onBrowseTabUpdated } from './browse-status.js';
import { flattrTab, flushQueue, onAlarm } from './flattr.js';
import { handlers } from './handlers.js';
import { onPairingTabRemoved, onPairingTabUpdated } from './pairing.js';

const dispatch = createDispatcher(handlers);

/** Only the extension's own pages may send commands (never a web page or another add-on). */
function trusted(sender) {
  return sender?.id === api.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(api.runtime.getURL(''));
}

api.action.onClicked.addListener((tab) => {
  flattrTab(tab).catch((error) => console.error('flattr failed', error));
});

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!trusted(sender)) return false;
  dispatch(message, sender).then(sendResponse);
  return true; // answer asynchronously
});

api.alarms.onAlarm.addListener((alarm) => {
  onAlarm(alarm).catch((error) => console.error('retry failed', error));
});

api.tabs.onUpdated.addListener((tabId, changeInfo, tab) => {
  (async () => {
    if (changeInfo.status === 'loading') {
      // A new page in this tab: the last click's answer belongs to the old one.
      await removeTabState(tabId);
      await showBadge(tabId, null);
      await api.action.setPopup({ tabId, popup: '' }).catch(() => {});
    }
    await onPairingTabUpdated(tabId, changeInfo, tab);
    await onBrowseTabUpdated(tabId, changeInfo, tab);
  })().catch((error) => console.error('tab update failed', error));
});

api.tabs.onRemoved.addListener((tabId) => {
  removeTabState(tabId).catch(() => {});
  onPairingTabRemoved(tabId).catch(() => {});
});

api.runtime.onStartup.addListener(() => {
  flushQueue({ all: true }).catch(() => {});
});
