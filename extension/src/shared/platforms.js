// Platform keys (creator-keys.md section 2): multi-tenant hosts where the site owner is
// not the creator. The table (platforms-data.js) is generated from the service's own
// adapters; this is the same small engine as the service's `platforms/base.py`.
import { PLATFORMS } from './platforms-data.js';

const ID = '{id}';
const ANY = '*';
const REMOTE_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;
const compiled = new Map();

function valid(value, pattern) {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, 'iu');
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

/** The platform host this host is, without its `www.` or mobile prefix (or null). */
function pathHost(platform, host) {
  for (const prefix of ['', 'www.', ...platform.prefixes]) {
    if (host.startsWith(prefix) && platform.hosts.includes(host.slice(prefix.length))) {
      return host.slice(prefix.length);
    }
  }
  return null;
}

/** `alice` for alice.github.io; a trailing `.*` stands for any ICANN suffix (blogspot.fr). */
function tenantOf(platform, info) {
  for (const tenantHost of platform.tenantHosts) {
    const suffix = tenantHost.endsWith('.*') ? `${tenantHost.slice(0, -2)}.${info.icannSuffix}` : tenantHost;
    if (info.host.endsWith(`.${suffix}`)) {
      const rest = info.host.slice(0, -suffix.length - 1);
      const label = rest.slice(rest.lastIndexOf('.') + 1);
      if (platform.reservedTenants.includes(label) || !valid(label, platform.idPattern)) return null;
      return label;
    }
  }
  return null;
}

function serves(platform, info) {
  if (pathHost(platform, info.host) !== null) return true;
  return platform.tenantHosts.some((s) =>
    info.host.endsWith(`.${s.endsWith('.*') ? `${s.slice(0, -2)}.${info.icannSuffix}` : s}`));
}

function normalizeId(platform, account) {
  if (platform.namespace === 'youtube') return account.startsWith('@') ? account.toLowerCase() : account;
  if (platform.namespace === 'bluesky') return account.startsWith('did:') ? account : account.toLowerCase();
  return platform.caseInsensitive ? account.toLowerCase() : account;
}

function makeKey(platform, account, host) {
  if (platform.namespace !== 'mastodon') return `${platform.namespace}:${account}`;
  // user, or user@other.instance when an instance shows a remote account.
  const at = account.indexOf('@');
  const user = at === -1 ? account : account.slice(0, at);
  const instance = at === -1 ? host : account.slice(at + 1);
  if (!REMOTE_HOST.test(instance)) return null;
  return `mastodon:${user}@${instance.startsWith('www.') ? instance.slice(4) : instance}`;
}

/** The captured id, true for a crawl rule that matched, or null. */
function apply(platform, rule, segments, query) {
  const parts = rule.pattern.split('/').filter(Boolean);
  if (segments.length < parts.length) return null;
  if (rule.query && !query.split('&').some((p) => p && p.split('=')[0] === rule.query)) return null;
  let captured = null;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const segment = segments[i];
    if (part.includes(ID)) {
      const [prefix, suffix] = part.split(ID);
      if (!segment.startsWith(prefix) || !segment.endsWith(suffix)) return null;
      const value = segment.slice(prefix.length, segment.length - suffix.length);
      const pattern = rule.idPattern ?? platform.idPattern;
      if (platform.reserved.includes(value.toLowerCase()) || !valid(value, pattern)) return null;
      // The key spells the id in lowercase: that spelling must be an id too (as the service).
      if (platform.caseInsensitive && !valid(value.toLowerCase(), pattern)) return null;
      captured = value;
    } else if (part !== ANY && segment.toLowerCase() !== part.toLowerCase()) {
      return null;
    }
  }
  return rule.crawl ? true : captured;
}

/** A platform match: {key} for an account, {needsCrawl: true} for a video, null for the platform's own pages. */
function match(platform, url, info) {
  const tenant = tenantOf(platform, info);
  if (tenant !== null) return { key: makeKey(platform, normalizeId(platform, tenant), info.host) };
  const host = pathHost(platform, info.host);
  if (host === null) return null;
  let segments;
  try {
    segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
  const query = url.search.replace(/^\?/, '');
  for (const rule of platform.rules) {
    if (rule.hosts.length && !rule.hosts.includes(host)) continue;
    const found = apply(platform, rule, segments, query);
    if (found === null) continue;
    if (found === true) return { needsCrawl: true };
    const key = makeKey(platform, normalizeId(platform, rule.idPrefix + found), host);
    return key === null ? null : { key };
  }
  return null;
}

/**
 * The platform serving a URL's host and what the URL says: {platform, match} where match
 * is {key}, {needsCrawl: true} or null (the platform's own page); null when no platform
 * serves the host. `info` is psl.hostInfo(host) plus the host.
 */
export function platformOf(url, info) {
  const platform = PLATFORMS.find((p) => serves(p, info));
  if (!platform) return null;
  return { platform, match: match(platform, url, info) };
}

/** The platform's own domain key for a host it serves (youtu.be's pages: youtube.com). */
export function homeDomain(platform, host) {
  return platform?.homeDomain && pathHost(platform, host) !== null ? platform.homeDomain : null;
}

export { PLATFORMS };
