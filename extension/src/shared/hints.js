// The head signals sent with a flattr are hints (page-signals.md): the service decides.
// They must stay under 8 KB; this trims them without ever producing invalid data.

export const MAX_HINTS_BYTES = 8 * 1024;
const MAX_STRING = 500;
const MAX_LIST = 10;

const byteLength = (value) => new TextEncoder().encode(JSON.stringify(value)).length;

function clean(value, depth = 0) {
  if (typeof value === 'string') return value.slice(0, MAX_STRING);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    return value.slice(0, MAX_LIST).map((v) => clean(v, depth + 1)).filter((v) => v !== undefined);
  }
  if (value && typeof value === 'object' && depth < 3) {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const c = clean(v, depth + 1);
      if (c !== undefined && !(Array.isArray(c) && c.length === 0) && c !== '') out[k] = c;
    }
    return out;
  }
  return undefined;
}

/**
 * Hints within `maxBytes` of JSON: strings and lists capped, then the largest fields
 * shortened (lists lose their last items, strings are cut) until it fits. Null if empty.
 */
export function limitHints(hints, maxBytes = MAX_HINTS_BYTES) {
  const out = clean(hints ?? {}) ?? {};
  while (Object.keys(out).length && byteLength(out) > maxBytes) {
    const [largest] = Object.keys(out).sort((a, b) => byteLength(out[b]) - byteLength(out[a]));
    const value = out[largest];
    if (Array.isArray(value) && value.length > 1) out[largest] = value.slice(0, -1);
    else if (typeof value === 'string' && value.length > 40) out[largest] = value.slice(0, Math.floor(value.length / 2));
    else delete out[largest];
  }
  return Object.keys(out).length ? out : null;
}
