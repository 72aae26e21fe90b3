import createClient from 'openapi-fetch';
import type { paths } from './schema';

/**
 * Same origin as the page. In the browser this is what `baseUrl: ''` means; spelling the origin
 * out keeps URLs absolute where `Request` needs them to be (Node/jsdom in tests).
 */
export const API_ORIGIN: string = globalThis.location?.origin ?? '';

/** Absolute URL for an API path such as `/api/health`. */
export function apiUrl(path: string): string {
  return `${API_ORIGIN}${path}`;
}

/**
 * The single typed API client. `fetch` is looked up on every call (not captured at creation)
 * so that interceptors which patch `globalThis.fetch` (MSW in tests) are always honoured.
 */
export const client = createClient<paths>({
  baseUrl: API_ORIGIN,
  fetch: (input: Request) => globalThis.fetch(input),
});
