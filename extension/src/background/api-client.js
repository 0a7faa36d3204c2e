// The only module that reads the token and talks to the service (`/api/v1`, api.md).
// Every failure becomes an ApiFailure with a `kind` the rest of the extension acts on:
//   offline | unavailable (503/502/504) | rate_limited (429) | server (other 5xx)
//     -> retryable: a flattr stays queued and is sent later;
//   unauthorized (401: revoked or unknown token -> "not connected" everywhere),
//   not_connected (no token yet), rejected (any other 4xx, with the service's code).

export const REQUEST_TIMEOUT_MS = 10_000;
const RETRYABLE = new Set(['offline', 'unavailable', 'rate_limited', 'server']);

export class ApiFailure extends Error {
  constructor(kind, { status = 0, code = kind, message = '', retryAfter = null } = {}) {
    super(message || code);
    this.name = 'ApiFailure';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter; // seconds, for rate_limited and unavailable
  }

  get retryable() {
    return RETRYABLE.has(this.kind);
  }
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), within [1, 3600]. */
export function parseRetryAfter(value, nowMs = Date.now(), fallback = 30) {
  if (value == null || value === '') return fallback;
  const text = String(value).trim();
  let seconds;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else {
    const at = Date.parse(text);
    seconds = Number.isNaN(at) ? fallback : Math.ceil((at - nowMs) / 1000);
  }
  return Math.min(3600, Math.max(1, seconds));
}

/** The ApiFailure for a non-2xx answer (body already parsed as JSON when it was JSON). */
export function failureFor(status, body, retryAfterHeader, nowMs = Date.now()) {
  const error = body && typeof body === 'object' && body.error ? body.error : {};
  const details = { status, code: error.code ?? `http_${status}`, message: error.message ?? '' };
  if (status === 401) return new ApiFailure('unauthorized', details);
  if (status === 429) {
    return new ApiFailure('rate_limited', { ...details, retryAfter: parseRetryAfter(retryAfterHeader, nowMs) });
  }
  if (status === 503 || status === 502 || status === 504) {
    return new ApiFailure('unavailable', { ...details, retryAfter: parseRetryAfter(retryAfterHeader, nowMs) });
  }
  if (status >= 500) return new ApiFailure('server', details);
  return new ApiFailure('rejected', details);
}

/**
 * The client. `storage` is `chrome.storage.local` (or anything with the same get/set),
 * `getServiceUrl` gives the configured base URL.
 */
export function createApiClient({ storage, getServiceUrl, fetchImpl = globalThis.fetch.bind(globalThis), now = Date.now }) {
  async function auth() {
    return (await storage.get('auth')).auth ?? { token: null, account: null, problem: null };
  }

  async function send(method, path, { body, query, token } = {}) {
    const base = await getServiceUrl();
    const url = new URL(`${base}/api/v1${path}`);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetchImpl(url.href, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      throw new ApiFailure('offline', { message: String(error?.message ?? error) });
    }
    let data = null;
    const text = await response.text().catch(() => '');
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) throw failureFor(response.status, data, response.headers.get('Retry-After'), now());
    return data ?? {};
  }

  /** A request with the stored token; a 401 forgets the token (the not-connected state). */
  async function authed(method, path, options = {}) {
    const current = await auth();
    if (!current.token) {
      throw new ApiFailure('not_connected', { code: 'not_connected', message: current.problem ?? '' });
    }
    try {
      return await send(method, path, { ...options, token: current.token });
    } catch (error) {
      if (error instanceof ApiFailure && error.kind === 'unauthorized') {
        const latest = await auth();
        if (latest.token === current.token) {
          await storage.set({ auth: { token: null, account: latest.account, problem: 'revoked' } });
        }
      }
      throw error;
    }
  }

  return {
    /** {connected, account, problem} — never the token itself. */
    async connection() {
      const { token, account, problem } = await auth();
      return { connected: Boolean(token), account: account ?? null, problem: problem ?? null };
    },
    /** Check a token with GET /me, then keep it. */
    async connectWithToken(token) {
      const clean = String(token ?? '').trim();
      if (!/^[\x21-\x7e]{8,512}$/.test(clean)) {
        throw new ApiFailure('rejected', { code: 'invalid_token', message: 'This does not look like a token.' });
      }
      const me = await send('GET', '/me', { token: clean });
      const account = { id: me.id, email: me.email, display_name: me.display_name };
      await storage.set({ auth: { token: clean, account, problem: null, connectedAt: now() } });
      return account;
    },
    /** Revoke the token at the service and forget it here; {revoked: false} when unreachable. */
    async disconnect() {
      const current = await auth();
      let revoked = false;
      if (current.token) {
        try {
          await send('DELETE', '/tokens/current', { token: current.token });
          revoked = true;
        } catch (error) {
          revoked = error instanceof ApiFailure && error.kind === 'unauthorized';
          if (!revoked && !(error instanceof ApiFailure && error.retryable)) throw error;
        }
      }
      await storage.set({ auth: { token: null, account: null, problem: null } });
      return { revoked };
    },
    me: () => authed('GET', '/me'),
    flattr: ({ url, weight, hints }) => authed('POST', '/flattrs', { body: { url, ...(weight ? { weight } : {}), ...(hints ? { hints } : {}) } }),
    setWeight: (id, weight) => authed('PATCH', `/flattrs/${encodeURIComponent(id)}`, { body: { weight } }),
    undo: (id) => authed('DELETE', `/flattrs/${encodeURIComponent(id)}`),
    monthFlattrs: (month, url) => authed('GET', '/me/flattrs', { query: { month, url } }),
    subscribe: ({ url, months, weight }) => authed('POST', '/subscriptions', { body: { url, months, ...(weight ? { weight } : {}) } }),
    gift: ({ url, key, amountCents }) => authed('POST', '/gifts', { body: { ...(key ? { key } : { url }), amount_cents: amountCents } }),
    escrow: (key) => send('GET', '/escrow', { query: { key } }),
    keysByPrefix: (prefix) => send('GET', `/keys/by-prefix/${encodeURIComponent(prefix)}`),
  };
}
