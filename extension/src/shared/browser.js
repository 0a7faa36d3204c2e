// The one place that knows Firefox calls the WebExtension API `browser` and Chromium
// `chrome`. Since Manifest V3 both are promise-based, so no polyfill is needed.
export const api = globalThis.browser ?? globalThis.chrome;
