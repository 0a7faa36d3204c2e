// Registrable domains (eTLD+1) with the bundled Public Suffix List, private section included.
import { PSL_RULES } from './psl-data.js';

let rules = null;

function ruleSets() {
  if (rules === null) {
    rules = { exact: new Set(), wildcard: new Set(), exception: new Set() };
    for (const rule of PSL_RULES.split(' ')) {
      if (rule.startsWith('!')) rules.exception.add(rule.slice(1));
      else if (rule.startsWith('*.')) rules.wildcard.add(rule.slice(2));
      else rules.exact.add(rule);
    }
  }
  return rules;
}

/**
 * The public suffix of an ASCII (punycode) host name, or null when no rule of the list
 * matches it (the list's implicit "*" rule is deliberately not applied: an unknown
 * top-level domain is not the public web).
 */
export function publicSuffix(host) {
  const { exact, wildcard, exception } = ruleSets();
  const labels = host.split('.');
  // Walk from the longest candidate to the shortest; the first (longest) match wins,
  // and an exception rule beats the wildcard that would otherwise match.
  for (let i = 0; i < labels.length; i++) {
    const candidate = labels.slice(i).join('.');
    if (exception.has(candidate)) return labels.slice(i + 1).join('.');
    if (exact.has(candidate)) return candidate;
    if (i + 1 < labels.length && wildcard.has(labels.slice(i + 1).join('.'))) return candidate;
  }
  return null;
}

/** The registrable domain (public suffix plus one label), or null (unknown or bare suffix). */
export function registrableDomain(host) {
  const suffix = publicSuffix(host);
  if (suffix === null || suffix === host) return null;
  const rest = host.slice(0, host.length - suffix.length - 1);
  const label = rest.slice(rest.lastIndexOf('.') + 1);
  return `${label}.${suffix}`;
}
