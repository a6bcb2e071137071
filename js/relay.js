// probeRegistry with the browser's fallback to the console's server (`options.relay`): the
// probe runs in the page first; when the browser blocked it (CORS, a rejected preflight, mixed
// content, an unreachable host), it runs again on the relay (registry-probe/server), whose
// steps keep flowing to onProgress and whose report says it ran there (`ran-on-server`).
// Which findings mean "the browser blocked it" and what counts as loopback are the core's
// (report.blockedInPage, isLoopbackHost), never copied here.
import { checkProbeRequest, isLoopbackHost, probeRegistry as probeHere } from './registry_probe.js';

function relayUrl(relay) {
  const base = globalThis.location?.href;
  let url;
  try {
    url = new URL(relay.url, base);
  } catch {
    throw new Error('invalid argument: relay.url must be a URL');
  }
  const sameOrigin = globalThis.location && url.origin === globalThis.location.origin;
  // Loopback is as trustworthy as https for a browser (a relay on this machine, in development).
  const loopback = isLoopbackHost(url.hostname);
  if (!sameOrigin && url.protocol !== 'https:' && !loopback) {
    throw new Error('invalid argument: relay.url must be on this page\'s origin or use https (the password travels in its body)');
  }
  if (relay.mode !== undefined && relay.mode !== 'fallback' && relay.mode !== 'always') {
    throw new Error('invalid argument: relay.mode must be one of fallback, always');
  }
  return url;
}

async function viaRelay(url, request, blocked, options) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' },
    // The page's origin: the server replays this browser's CORS checks and names each defect.
    body: JSON.stringify({ ...request, relayedBecause: blocked, origin: globalThis.location?.origin }),
    signal: options.signal,
    credentials: 'same-origin',
  });
  if (!response.ok) {
    const { error } = await response.json().catch(() => ({}));
    throw new Error(`registry-probe: the relay answered ${response.status}${error ? `: ${error}` : ''}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffer += value ?? '';
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (line.step) {
        try { options.onProgress?.(line.step); } catch { /* a throwing callback does not stop the probe */ }
      }
      if (line.report) return line.report;
      if (line.error) throw new Error(`registry-probe: the relay answered ${line.status ?? 500}: ${line.error}`);
    }
    if (done) throw new Error('registry-probe: the relay closed without a report');
  }
}

/** `probeRegistry` of the generated module, plus `options.relay` (see the README). */
export function probeRegistry(request, options) {
  if (options?.proxy !== undefined) {
    throw new Error('invalid argument: proxy is for Node; a browser uses its own proxy settings');
  }
  if (options?.ca !== undefined) {
    throw new Error('invalid argument: ca is for Node; a browser trusts what its system trusts');
  }
  const relay = options?.relay;
  if (!relay) return probeHere(request, options);
  const url = relayUrl(relay);
  const { relay: _, ...rest } = options;
  if (relay.mode === 'always') {
    checkProbeRequest(request, rest); // throws now, as probeRegistry would
    return viaRelay(url, request, ['always'], rest);
  }
  return probeHere(request, rest).then((report) => (
    report.blockedInPage.length ? viaRelay(url, request, report.blockedInPage, rest) : report));
}
