// The toolbar badge of a tab: what the last click did, at a glance, with the reason in the
// button's title (what a person reads when hovering or with a screen reader).
import { api } from '../shared/browser.js';
import { t } from '../shared/i18n.js';

const GREEN = '#1a7f37';
const AMBER = '#9a6700';
const RED = '#cf222e';
const GREY = '#57606a';
const BLUE = '#0969da';

/**
 * {text, color, title: [messageKey, ...substitutions]} for a tab state, or null (no badge);
 * a substitution that is itself [messageKey] is localised too.
 * Pure: the states and their marks are tested without a browser.
 */
export function badgeFor(state) {
  if (!state) return null;
  switch (state.status) {
    case 'sending':
      return { text: '…', color: BLUE, title: ['badge_sending'] };
    case 'done': {
      const f = state.flattr ?? {};
      const already = f.already ? '_already' : '';
      if (f.claimed) return { text: '✓', color: GREEN, title: [`badge_done_claimed${already}`, f.key] };
      return { text: '⏳', color: AMBER, title: [`badge_done_escrow${already}`, f.key] };
    }
    case 'queued':
      return { text: '↻', color: GREY, title: [`badge_queued_${state.error?.kind ?? 'offline'}`] };
    case 'unflattrable':
      return { text: '×', color: GREY, title: ['badge_unflattrable', [`unflattrable_${state.reason}`]] };
    case 'error':
      if (state.error?.kind === 'not_connected' || state.error?.kind === 'unauthorized') {
        return { text: '!', color: RED, title: ['badge_not_connected'] };
      }
      return { text: '!', color: RED, title: ['badge_error', state.error?.message || state.error?.code || ''] };
    case 'browse': {
      if (state.declined) return { text: '⊘', color: GREY, title: ['badge_browse_declined', state.key] };
      if (state.claimed) return { text: '●', color: GREEN, title: ['badge_browse_claimed', state.key] };
      return { text: '', color: GREY, title: ['badge_browse_unclaimed', state.key] };
    }
    default:
      return null;
  }
}

function localize([key, ...subs]) {
  return t(key, ...subs.map((sub) => (Array.isArray(sub) ? localize(sub) : sub)));
}

export async function showBadge(tabId, state) {
  const badge = badgeFor(state);
  try {
    // Title and colour first, text last: whoever sees the new mark also gets its reason.
    await api.action.setTitle({ tabId, title: badge ? localize(badge.title) : t('action_title') });
    if (badge) await api.action.setBadgeBackgroundColor({ tabId, color: badge.color });
    if (badge && api.action.setBadgeTextColor) await api.action.setBadgeTextColor({ tabId, color: '#ffffff' });
    await api.action.setBadgeText({ tabId, text: badge?.text ?? '' });
  } catch {
    // The tab was closed meanwhile: nothing to show.
  }
}
