// Public suffixes and registrable domains (eTLD+1) with the bundled Public Suffix List,
// the same snapshot the service uses (tldextract's), with the same reading of it.
import { PSL_ICANN, PSL_PRIVATE } from './psl-data.js';

let sections = null;

function parse(packed) {
  const set = { exact: new Set(), wildcard: new Set(), exception: new Set() };
  for (const rule of packed.split(' ')) {
    if (rule.startsWith('!')) set.exception.add(rule.slice(1));
    else if (rule.startsWith('*.')) set.wildcard.add(rule.slice(2));
    else set.exact.add(rule);
  }
  return set;
}

function rules() {
  sections ??= { icann: parse(PSL_ICANN), private: parse(PSL_PRIVATE) };
  return sections;
}

/** The longest suffix of `labels` matched by one of `sets` ({suffix, section}), or null. */
function longestMatch(labels, names) {
  for (let i = 0; i < labels.length; i++) {
    const candidate = labels.slice(i).join('.');
    const parent = labels.slice(i + 1).join('.');
    for (const name of names) {
      const set = rules()[name];
      if (set.exception.has(candidate)) return { suffix: parent, section: name };
      if (set.exact.has(candidate)) return { suffix: candidate, section: name };
      if (i + 1 < labels.length && set.wildcard.has(parent)) return { suffix: candidate, section: name };
    }
  }
  return null;
}

/**
 * The public suffix of an ASCII (punycode) host, or null when no rule matches it. The
 * list's implicit "*" rule is not applied: an unknown top-level domain is not the web.
 */
export function publicSuffix(host, { includePrivate = true } = {}) {
  return longestMatch(host.split('.'), includePrivate ? ['icann', 'private'] : ['icann'])?.suffix ?? null;
}

function topDomain(host, suffix) {
  if (suffix === null || suffix === host) return null;
  const rest = host.slice(0, host.length - suffix.length - 1);
  return `${rest.slice(rest.lastIndexOf('.') + 1)}.${suffix}`;
}

/**
 * What the list says about a host: {registrable, icannSuffix, icannRegistrable,
 * isPrivateSuffix}, or
 * {error: 'unknown_suffix' | 'public_suffix'}. A private suffix's own site (github.io,
 * githubusercontent.com) belongs to its operator; an ICANN suffix (co.uk) is no site.
 */
export function hostInfo(host) {
  const labels = host.split('.');
  const found = longestMatch(labels, ['icann', 'private']);
  if (found === null) return { error: 'unknown_suffix' };
  const icannSuffix = publicSuffix(host, { includePrivate: false });
  const icannRegistrable = topDomain(host, icannSuffix);
  // The suffix itself, or the `www.` of a private one (www.github.io): no tenant's site.
  if (found.suffix === host || (found.section === 'private' && host === `www.${found.suffix}`)) {
    if (found.section !== 'private') return { error: 'public_suffix' };
    return { registrable: icannRegistrable, icannSuffix, icannRegistrable, isPrivateSuffix: true };
  }
  return { registrable: topDomain(host, found.suffix), icannSuffix, icannRegistrable, isPrivateSuffix: false };
}

/** The registrable domain of a host, or null when it has none. */
export function registrableDomain(host) {
  return hostInfo(host).registrable ?? null;
}
