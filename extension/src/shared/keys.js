// URL -> creator key, computed locally (creator-keys.md): used only by the opt-in
// "show status while I browse" mode, so that browsing history never leaves the browser.
// Page tags and path delegations need the service; a flattr always asks it.
import { hostInfo } from './psl.js';
import { homeDomain, platformOf } from './platforms.js';
import { normalizeUrl } from './urls.js';

const withoutWww = (host) => (host.startsWith('www.') ? host.slice(4) : host);

/** `domain:` keys of a host's subdomains, most specific first (verified ones win). */
function subdomainKeys(host, registrable) {
  const bare = withoutWww(host);
  if (bare === registrable || !bare.endsWith(`.${registrable}`)) return [];
  const labels = bare.slice(0, -registrable.length - 1).split('.');
  return labels.map((_, i) => `domain:${labels.slice(i).join('.')}.${registrable}`);
}

/**
 * {normalized, key, source, pending, candidates}: `candidates` are the keys whose claimed
 * status decides the answer, most specific first. Throws UnflattrableUrl for pages that
 * cannot be flattred.
 */
export function resolveLocally(raw) {
  const normalized = normalizeUrl(raw);
  const url = new URL(normalized);
  const info = { host: url.hostname, ...hostInfo(url.hostname) };
  const found = platformOf(url, info);
  // The platform's own pages pay its operator (www.github.io is GitHub's, not a tenant's).
  const operator = found && !found.match ? found.platform.homeDomain ?? info.icannRegistrable : null;
  const domainKey = `domain:${operator ?? homeDomain(found?.platform, info.host) ?? info.registrable}`;
  if (found?.match?.needsCrawl) {
    return { normalized, key: domainKey, source: 'platform', pending: true, candidates: [] };
  }
  if (found?.match?.key) {
    const key = found.match.key;
    return { normalized, key, source: 'platform', pending: false, candidates: [key] };
  }
  const candidates = [...subdomainKeys(info.host, info.registrable), domainKey];
  return { normalized, key: domainKey, source: 'domain', pending: false, candidates };
}

/** Lowercase hex SHA-256 of a key's UTF-8 bytes (what `/keys/by-prefix/` indexes). */
export async function keySha256(key) {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Given the claimed keys of the candidates' prefixes, the key that applies and its status. */
export function pickClaimed(resolution, claimed) {
  for (const key of resolution.candidates) {
    const entry = claimed.get(key);
    if (entry) {
      return {
        key,
        claimed: true,
        declined: Boolean(entry.declined),
        source: key === resolution.key ? resolution.source : 'subdomain',
      };
    }
  }
  return { key: resolution.key, claimed: false, declined: false, source: resolution.source };
}

/**
 * Claimed keys of a `/keys/by-prefix/` answer, as Map(key -> {declined}). Entries may be
 * `{key, declined}` objects or plain strings; a top-level `declined` list also counts.
 */
export function claimedFromPrefixAnswer(answer) {
  const declinedKeys = new Set(Array.isArray(answer?.declined) ? answer.declined : []);
  const claimed = new Map();
  for (const entry of Array.isArray(answer?.keys) ? answer.keys : []) {
    if (typeof entry === 'string') claimed.set(entry, { declined: declinedKeys.has(entry) });
    else if (entry && typeof entry.key === 'string') {
      claimed.set(entry.key, { declined: Boolean(entry.declined) || declinedKeys.has(entry.key) });
    }
  }
  return claimed;
}
