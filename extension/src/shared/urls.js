// URL rules of creator-keys.md section 1, as pure functions: what a thing is, and which
// pages cannot be flattred at all (and why, in words a person can act on).
import { hostInfo } from './psl.js';

/** Why a page cannot be flattred; each reason has a message `unflattrable_<reason>`. */
export class UnflattrableUrl extends Error {
  constructor(reason, detail = '') {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
    this.name = 'UnflattrableUrl';
    this.reason = reason;
  }
}

// Parameters that only say where a click came from (the same list as the service's).
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid',
  'mc_cid', 'mc_eid', 'ref_src', 'igshid', 'igsh', '_ga', '_gl', '_hsenc', '_hsmi', 'mkt_tok',
  'srsltid',
]);
// `si` is YouTube's share-tracking parameter; elsewhere it may mean something.
const YOUTUBE_SHARE_HOSTS = new Set(['youtu.be', 'youtube.com', 'm.youtube.com', 'music.youtube.com']);
const LABEL = /^[a-z0-9_-]{1,63}$/;
const BROWSER_SCHEMES = new Set([
  'about:', 'chrome:', 'chrome-untrusted:', 'chrome-search:', 'edge:', 'brave:', 'opera:',
  'vivaldi:', 'moz-extension:', 'chrome-extension:', 'resource:', 'view-source:', 'devtools:',
]);
// Extension stores: browsers do not let extensions act on them.
const EXTENSION_STORES = [
  ['chromewebstore.google.com', '/'],
  ['chrome.google.com', '/webstore'],
  ['addons.mozilla.org', '/'],
  ['microsoftedge.microsoft.com', '/addons'],
  ['addons.opera.com', '/'],
];

function isIpLiteral(host) {
  // The URL parser already turned every IPv4 spelling (0x7f.1, 2130706433) into dotted form.
  return host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host);
}

function isTracking(name, host) {
  const lower = name.toLowerCase();
  if (lower.startsWith('utm_') || TRACKING_PARAMS.has(lower)) return true;
  return lower === 'si' && YOUTUBE_SHARE_HOSTS.has(host.startsWith('www.') ? host.slice(4) : host);
}

function normalizedQuery(search, host) {
  if (!search || search === '?') return '';
  const pairs = search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // keep a malformed escape as it was written
      }
      return { name, pair };
    })
    .filter(({ name }) => !isTracking(name, host));
  // Sort by name, then by the whole pair, so the order a page wrote them in never matters.
  pairs.sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.pair < b.pair ? -1 : a.pair > b.pair ? 1 : 0,
  );
  return pairs.length ? `?${pairs.map((p) => p.pair).join('&')}` : '';
}

/**
 * The parsed, checked URL of a page: throws UnflattrableUrl when it is not a page of the
 * public web (browser pages, local files, extension stores, IPs, unknown suffixes...).
 */
export function parsePageUrl(raw) {
  if (typeof raw !== 'string' || raw.trim() === '') throw new UnflattrableUrl('unknown');
  let url;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UnflattrableUrl('not_web', 'not a URL');
  }
  if (url.protocol === 'file:') throw new UnflattrableUrl('local_file');
  if (BROWSER_SCHEMES.has(url.protocol)) throw new UnflattrableUrl('browser_page');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UnflattrableUrl('not_web', url.protocol);
  }
  const host = url.hostname.replace(/\.+$/, '');
  if (!host) throw new UnflattrableUrl('no_host');
  if (isIpLiteral(host)) throw new UnflattrableUrl('ip_address', host);
  if (host === 'localhost' || host.endsWith('.localhost')) {
    throw new UnflattrableUrl('local_host', host);
  }
  if (!host.includes('.')) throw new UnflattrableUrl('single_label', host);
  if (host.length > 253 || !host.split('.').every((label) => LABEL.test(label))) {
    throw new UnflattrableUrl('bad_host', host);
  }
  const info = hostInfo(host);
  if (info.error) throw new UnflattrableUrl(info.error, host);
  for (const [storeHost, prefix] of EXTENSION_STORES) {
    if (host === storeHost && url.pathname.startsWith(prefix)) {
      throw new UnflattrableUrl('extension_store', host);
    }
  }
  return { url, host };
}

/** The normalised URL that identifies a thing (throws UnflattrableUrl). */
export function normalizeUrl(raw) {
  const { url, host } = parsePageUrl(raw);
  const defaultPort = url.protocol === 'http:' ? '80' : '443';
  const port = url.port && url.port !== defaultPort ? `:${url.port}` : '';
  const path = url.pathname || '/';
  return `${url.protocol}//${host}${port}${path}${normalizedQuery(url.search, host)}`;
}

/** null when the page can be flattred, otherwise the reason (a message-key suffix). */
export function unflattrableReason(raw) {
  try {
    parsePageUrl(raw);
    return null;
  } catch (error) {
    if (error instanceof UnflattrableUrl) return error.reason;
    throw error;
  }
}
