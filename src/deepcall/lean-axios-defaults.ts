import type { AxiosInstance } from 'axios';

// Read only by axios' own Node, XHR and fetch adapters, or by its default transforms; the
// undici adapter and the client's identity transforms never look at them.
const UNUSED_WITH_UNDICI_ADAPTER = [
  'transitional',
  'xsrfCookieName',
  'xsrfHeaderName',
  'env',
  'maxBodyLength',
  'maxRedirects',
] as const;

/**
 * axios merges an instance's defaults into every request's config, deeply: with axios' stock
 * defaults (a header section per HTTP method, browser and Node-adapter settings) that merge was
 * a third of the client's cost (bench/README.md). Leaves the headers flat and drops the
 * settings this instance's adapter ignores.
 */
export function leanAxiosDefaults(axiosRef: AxiosInstance, headers: Record<string, string>): void {
  axiosRef.defaults.headers = { ...headers } as AxiosInstance['defaults']['headers'];
  for (const key of UNUSED_WITH_UNDICI_ADAPTER) delete axiosRef.defaults[key];
}
