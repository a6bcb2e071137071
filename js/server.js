// registry-probe/server: the probe as an HTTP endpoint the console hosts, for registries a page
// cannot call (no CORS). Safe by default: every connection of a probe (registry, token realm,
// Link pages) goes through a connector that resolves the name, checks each address against the
// policy (policy.js) and connects to the checked address, so a name that resolves to a private
// address is refused and DNS rebinding cannot slip past the check. The mechanism is undici's
// own (Agent + buildConnector), the dispatcher Node's fetch is built on.
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Readable } from 'node:stream';
import { Agent, buildConnector } from 'undici';
import init, { probeRegistry } from './node.js';
import { createPolicy } from './policy.js';
import { withCertificateDates } from './certificate.js';

const JSON_TYPE = { 'Content-Type': 'application/json' };

function refused(host) {
  const error = new Error(`the probe may not connect to ${host}`);
  error.code = 'ERR_ADDRESS_NOT_ALLOWED';
  return error;
}

/**
 * A fetch whose every connection is checked against `policy`, resolving names with `lookup`
 * (`dns.lookup`'s signature, called with `{ all: true }`).
 */
export function createPolicyFetch(policy, lookup = dnsLookup, tls = {}) {
  const connectBase = buildConnector(tls);
  /** The address a connection to `host` may use, after DNS and the policy. */
  const allowedAddress = (host) => new Promise((resolve, reject) => {
    if (isIP(host)) return policy.allowsAddress(host) ? resolve(host) : reject(refused(host));
    if (!policy.allowsName(host)) return reject(refused(host));
    return lookup(host, { all: true }, (error, addresses) => {
      if (error) return reject(error);
      const list = Array.isArray(addresses) ? addresses : [{ address: addresses }];
      const allowed = policy.allowedByName(host) ? list : list.filter((a) => policy.allowsAddress(a.address));
      return allowed.length ? resolve(allowed[0].address) : reject(refused(host));
    });
  });
  const connect = (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    allowedAddress(host).then((address) => {
      // Connect to the address just checked; TLS still verifies the certificate for the name.
      const servername = options.servername || (isIP(host) ? undefined : host);
      connectBase({ ...options, hostname: address, servername }, callback);
    }, (error) => callback(error, null));
  };
  const dispatcher = new Agent({ connect });
  // The dates of an expired certificate are read from the address the policy allows, too.
  return withCertificateDates((request) => fetch(request, { dispatcher }), allowedAddress);
}

function json(status, value, headers = {}) {
  return new Response(JSON.stringify(value), { status, headers: { ...JSON_TYPE, ...headers } });
}

/** The body as text, or `null` when it is over `limit` bytes. */
async function readLimited(request, limit) {
  if (!request.body) return '';
  const chunks = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A fetch-style handler: `POST` a JSON `ProbeRequest`, get the `ProbeReport` (or, with
 * `Accept: application/x-ndjson`, one `{"step": …}` line per step change, then `{"report": …}`).
 * @param {import('./server.d.ts').ProbeHandlerOptions} [options]
 * @returns {(request: Request) => Promise<Response>}
 */
export function createProbeHandler(options = {}) {
  const policy = createPolicy(options);
  const ca = options.ca ? { ca: [...rootCertificates, ...[options.ca].flat()] } : {};
  const probeFetch = createPolicyFetch(policy, options.lookup ?? dnsLookup, ca);
  const maxConcurrent = options.maxConcurrent ?? 8;
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024;
  const ready = init();
  let running = 0;
  return async (request) => {
    if (request.method !== 'POST') {
      return json(405, { error: 'send a POST with a JSON ProbeRequest body' }, { Allow: 'POST' });
    }
    if (!/^application\/json(\s*;|$)/i.test(request.headers.get('content-type') ?? '')) {
      return json(415, { error: 'the body must be application/json' });
    }
    const body = await readLimited(request, maxBodyBytes);
    if (body === null) return json(413, { error: `the body is over ${maxBodyBytes} bytes` });
    let probeRequest;
    try {
      probeRequest = JSON.parse(body);
    } catch {
      return json(400, { error: 'the body is not valid JSON' });
    }
    if (running >= maxConcurrent) {
      return json(429, { error: `${maxConcurrent} probes are already running; try again shortly` }, { 'Retry-After': '1' });
    }
    running++; // the slot is taken at once, before anything awaits
    let release = () => { running--; release = () => {}; };
    await ready;
    const controller = new AbortController();
    request.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const stream = /application\/x-ndjson/i.test(request.headers.get('accept') ?? '');
    const lines = [];
    let push = null;
    const onProgress = (step) => {
      lines.push(`${JSON.stringify({ step })}\n`);
      push?.();
    };
    if (probeRequest && typeof probeRequest === 'object' && options.timeoutMs && probeRequest.timeoutMs === undefined) {
      probeRequest = { ...probeRequest, timeoutMs: options.timeoutMs };
    }
    let run;
    try {
      run = probeRegistry(probeRequest, { fetch: probeFetch, signal: controller.signal, onProgress: stream ? onProgress : undefined });
    } catch (error) {
      release();
      return json(400, { error: error.message }); // names the field, never echoes a value
    }
    const done = run.finally(() => release());
    if (!stream) {
      try {
        return json(200, await done);
      } catch {
        return json(499, { error: 'the client went away; the probe was cancelled' });
      }
    }
    const encoder = new TextEncoder();
    return new Response(new ReadableStream({
      start(sink) {
        push = () => { while (lines.length) sink.enqueue(encoder.encode(lines.shift())); };
        done.then((report) => {
          push();
          sink.enqueue(encoder.encode(`${JSON.stringify({ report })}\n`));
          sink.close();
        }, () => sink.close());
      },
      cancel() { controller.abort(); },
    }), { status: 200, headers: { 'Content-Type': 'application/x-ndjson' } });
  };
}

/** The handler as a Node `(req, res)` listener (`http.createServer`, Express). */
export function toNodeListener(handler) {
  return (req, res) => {
    const controller = new AbortController();
    res.on('close', () => { if (!res.writableFinished) controller.abort(); });
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
      body: hasBody ? Readable.toWeb(req) : undefined,
      duplex: hasBody ? 'half' : undefined,
      signal: controller.signal,
    });
    handler(request).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) for await (const chunk of response.body) res.write(chunk);
      res.end();
    }, (error) => {
      if (!res.headersSent) res.writeHead(500, JSON_TYPE);
      res.end(JSON.stringify({ error: 'the probe failed unexpectedly' }));
      void error;
    });
  };
}
