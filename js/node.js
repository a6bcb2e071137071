// Node entry: same API; init() with no argument reads the .wasm from disk, and probeRegistry
// also takes `ca` (extra trusted certificates, for internal registries, for this probe only).
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import initWasm from './registry_probe.js';
import { probeRegistry as probeAnywhere } from './relay.js';
import { withCertificateDates } from './certificate.js';

export * from './registry_probe.js';
export { createConnectorForm } from './session.js';

export default async function init(source) {
  const input = source ?? (await readFile(new URL('./registry_probe_bg.wasm', import.meta.url)));
  return initWasm({ module_or_path: input });
}

/** A fetch that trusts `ca` (PEM text, or a list of them) beside the system's roots. */
async function fetchTrusting(ca) {
  const { Agent } = await import('undici');
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, ...[ca].flat()] } });
  return (request) => fetch(request, { dispatcher });
}

/** `probeRegistry`, plus `options.ca` in Node, and a certificate's dates when it is expired. */
export function probeRegistry(request, options) {
  if (options?.fetch || options?.relay) {
    if (options.ca) throw new Error('invalid argument: give ca or fetch, not both');
    return probeAnywhere(request, options);
  }
  if (!options?.ca) return probeAnywhere(request, { ...options, fetch: withCertificateDates(globalThis.fetch) });
  const { ca, ...rest } = options;
  return fetchTrusting(ca).then((fetchWithCa) => probeAnywhere(request, { ...rest, fetch: withCertificateDates(fetchWithCa) }));
}
