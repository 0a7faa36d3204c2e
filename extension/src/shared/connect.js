// The pairing page's answer: <service>/connect/done#token=...&state=... (architecture.md).

/**
 * {token, state} (or {error, state} when the person declined) from a /connect/done URL of
 * `serviceUrl`, or null for any other URL.
 */
export function parseConnectDone(url, serviceUrl) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const base = new URL(serviceUrl);
  const donePath = `${base.pathname.replace(/\/+$/, '')}/connect/done`;
  if (parsed.origin !== base.origin || parsed.pathname !== donePath) return null;
  const params = new URLSearchParams(parsed.hash.replace(/^#/, ''));
  const token = params.get('token');
  const state = params.get('state');
  const error = params.get('error');
  if (state && error) return { state, error }; // the person said no (error=access_denied)
  return token && state ? { token, state } : null;
}

/** The page the extension opens to ask for a token. */
export function connectUrl(serviceUrl, state, label) {
  return `${serviceUrl}/connect?${new URLSearchParams({ state, label })}`;
}
