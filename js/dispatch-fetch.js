// A fetch over an undici dispatcher, for the probe's requests (GET, HEAD or OPTIONS, no body):
// undici's own fetch, captured once when this module loads (it honours the dispatcher on Node
// and Deno, where a runtime's global fetch may not, and a wrapper of globalThis.fetch installed
// later cannot drop it). A response that came through an egress proxy carries the proxy's origin
// (never its credentials) for the report's trace.
import { fetch as undiciFetch } from 'undici';

/** The property the wasm driver reads (src/web/driver.rs, PROXY_MARK). */
const PROXY_MARK = 'registryProbeProxy';

/**
 * A fetch taking another implementation's `Request` (undici's fetch takes a URL and init) and
 * sending it through `dispatcher`; `proxiedVia(url)` names the proxy a URL went through, or null.
 */
export function fetchVia(dispatcher, proxiedVia = () => null) {
  const send = undiciFetch;
  return async (request) => {
    const response = await send(request.url, {
      method: request.method,
      headers: [...request.headers],
      redirect: request.redirect,
      signal: request.signal,
      dispatcher,
    });
    const proxy = proxiedVia(response.url || request.url);
    if (proxy) Object.defineProperty(response, PROXY_MARK, { value: proxy });
    return response;
  };
}
