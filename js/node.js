// Node entry: same API; init() with no argument reads the .wasm from disk, and probeRegistry
// also takes `ca` (extra trusted certificates, for internal registries, for this probe only) and
// `proxy` (an egress proxy URL; by default the HTTPS_PROXY / HTTP_PROXY / NO_PROXY variables).
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import initWasm from './registry_probe.js';
import { probeRegistry as probeAnywhere } from './relay.js';
import { withCertificateDates } from './certificate.js';
import { fetchVia } from './dispatch-fetch.js';
import { createDispatcher, proxySettings } from './proxy.js';

export * from './registry_probe.js';
export { createConnectorForm } from './session.js';

export default async function init(source) {
  const input = source ?? (await readFile(new URL('./registry_probe_bg.wasm', import.meta.url)));
  return initWasm({ module_or_path: input });
}

/**
 * `probeRegistry`, plus in Node `options.ca`, `options.proxy` (else the proxy variables), and a
 * certificate's dates when it is expired (read directly, so never behind a proxy).
 */
export function probeRegistry(request, options) {
  const { ca, proxy, ...rest } = options ?? {};
  if (rest.fetch || rest.relay) {
    if (ca) throw new Error('invalid argument: give ca or fetch, not both');
    if (proxy !== undefined) throw new Error('invalid argument: give proxy or fetch, not both');
    return probeAnywhere(request, rest);
  }
  const settings = proxySettings(proxy); // throws on a proxy that is not an http(s) URL
  if (!settings && !ca) return probeAnywhere(request, { ...rest, fetch: withCertificateDates(globalThis.fetch) });
  const tls = ca ? { ca: [...rootCertificates, ...[ca].flat()] } : {};
  const { dispatcher, proxiedVia } = createDispatcher(settings, { tls });
  const fetch = withCertificateDates(fetchVia(dispatcher, proxiedVia), undefined, (url) => Boolean(proxiedVia(url)));
  return probeAnywhere(request, { ...rest, fetch });
}
