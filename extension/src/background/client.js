// The extension's one API client, bound to storage.local and the configured service URL.
import { api } from '../shared/browser.js';
import { getSettings } from '../shared/storage.js';
import { createApiClient } from './api-client.js';

export const client = createApiClient({
  storage: api.storage.local,
  getServiceUrl: async () => (await getSettings()).serviceUrl,
});
