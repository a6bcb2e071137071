// registry-probe/server: the probe as an HTTP endpoint the console hosts, for registries a page
// cannot call (no CORS). Reachable by anyone who can reach the console, so nothing a client
// sends can crash it or hold it: the address policy is enforced and proven (policy-fetch.js),
// the server owns every limit (a client may ask for less, never more), slots are admitted
// through a bounded queue (admission.js) and released on every path, and the body is read
// within a time bound.
import { Readable } from 'node:stream';
import init, { probeRegistry } from './node.js';
import { createAdmission } from './admission.js';
import { probeFetchOf } from './policy-fetch.js';

export { createPolicyFetch, runtimeName } from './policy-fetch.js';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const NDJSON_TYPE = { 'Content-Type': 'application/x-ndjson' };
/** The longest JS timer (2³¹−1 ms): a larger timeout would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** What a client is told of a failure it did not cause (the server logs the error). */
const UNEXPECTED = 'the probe failed unexpectedly; the server has logged why';
/** The base every request URL is built on: the client's Host header is never used. */
const BASE = 'http://registry-probe.invalid';

/** The handler's limits: `[default, min, max]` of each option (see server.d.ts). */
export const HANDLER_LIMITS = Object.freeze({
  maxConcurrent: [8, 1, 10_000],
  maxQueued: [32, 0, 100_000],
  queueTimeoutMs: [10_000, 1, MAX_TIMER_MS],
  maxBodyBytes: [16 * 1024, 1, 16 * 1024 * 1024],
  bodyTimeoutMs: [5_000, 1, MAX_TIMER_MS],
  timeoutMs: [8_000, 1, MAX_TIMER_MS],
  maxProbeMs: [30_000, 1, MAX_TIMER_MS],
  maxCatalogPages: [10, 1, 1_000],
});

/** The options' limits, each a whole number in its range, or a TypeError naming it. */
function limitsOf(options) {
  const limits = {};
  for (const [name, [fallback, min, max]] of Object.entries(HANDLER_LIMITS)) {
    const value = options[name] ?? fallback;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new TypeError(`invalid argument: ${name} must be a whole number from ${min} to ${max}`);
    }
    limits[name] = value;
  }
  if (options.maxPerClient !== undefined && (!Number.isSafeInteger(options.maxPerClient) || options.maxPerClient < 1)) {
    throw new TypeError('invalid argument: maxPerClient must be a whole number from 1');
  }
  if (options.clientKey !== undefined && typeof options.clientKey !== 'function') {
    throw new TypeError('invalid argument: clientKey must be a function');
  }
  return limits;
}

/** A client's value for a limit the server owns: absent or 0 is the default, more is capped. */
function capped(value, limit) {
  if (value === undefined || value === null || value === 0) return limit;
  return typeof value === 'number' ? Math.min(value, limit) : value; // not a number: the core names the field
}

function json(status, value, headers = {}) {
  return new Response(JSON.stringify(value), { status, headers: { ...JSON_TYPE, ...headers } });
}

/** The body as text, or `{ status }` when it is over `limit` bytes or not complete within `ms`. */
async function readBody(request, limit, ms) {
  if (!request.body) return { text: '' };
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve('late'), ms); });
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), late]);
      if (next === 'late') return { status: 408, error: `the body did not arrive within ${ms} ms` };
      if (next.done) return { text: text + decoder.decode() };
      size += next.value.byteLength;
      if (size > limit) return { status: 413, error: `the body is over ${limit} bytes` };
      text += decoder.decode(next.value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
}

/** `text` with every secret of `probeRequest` (the password, its Basic value) replaced. */
function redact(text, probeRequest) {
  const password = typeof probeRequest?.password === 'string' ? probeRequest.password : '';
  if (!password) return text;
  const basic = btoa(unescape(encodeURIComponent(`${probeRequest.username ?? ''}:${password}`)));
  return text.split(password).join('[password]').split(basic).join('[basic]');
}

/**
 * A fetch-style handler: `POST` a JSON `ProbeRequest`, get the `ProbeReport` (or, with
 * `Accept: application/x-ndjson`, `{"queued": …}` lines while it waits for a slot, one
 * `{"step": …}` line per step change, then `{"report": …}`).
 * @param {import('./server.d.ts').ProbeHandlerOptions} [options]
 * @returns {import('./server.d.ts').ProbeHandler}
 */
export function createProbeHandler(options = {}) {
  const limits = limitsOf(options);
  const { probeFetch, proof } = probeFetchOf(options);
  const admission = createAdmission({ ...limits, maxPerClient: options.maxPerClient });
  const log = options.log ?? ((message) => console.error(message));
  const ready = Promise.all([init(), proof]).then(() => {});
  ready.catch(() => {}); // reported by every request and by handler.ready, never unhandled

  /** Runs one admitted probe; `onProgress` gets each step when streaming. */
  const probe = (probeRequest, signal, onProgress) => probeRegistry({
    ...probeRequest,
    timeoutMs: capped(probeRequest.timeoutMs, limits.timeoutMs),
    maxCatalogPages: capped(probeRequest.maxCatalogPages, limits.maxCatalogPages),
  }, { fetch: probeFetch, signal, onProgress, deadlineMs: limits.maxProbeMs, server: true });

  /** Logs a failure no client caused, without secrets; the client gets {@link UNEXPECTED}. */
  const logFailure = (error, probeRequest) => {
    try {
      log(redact(`registry-probe/server: ${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`, probeRequest));
    } catch { /* a throwing logger changes nothing */ }
  };

  async function handle(request, signal, context) {
    try {
      await ready;
    } catch (error) {
      return json(500, { error: error.message });
    }
    if (request.method !== 'POST') {
      return json(405, { error: 'send a POST with a JSON ProbeRequest body' }, { Allow: 'POST' });
    }
    if (!/^application\/json(\s*;|$)/i.test(request.headers.get('content-type') ?? '')) {
      return json(415, { error: 'the body must be application/json' });
    }
    const body = await readBody(request, limits.maxBodyBytes, limits.bodyTimeoutMs);
    if (body.status) return json(body.status, { error: body.error });
    let probeRequest;
    try {
      probeRequest = JSON.parse(body.text);
    } catch {
      return json(400, { error: 'the body is not valid JSON' });
    }
    if (!probeRequest || typeof probeRequest !== 'object' || Array.isArray(probeRequest)) {
      return json(400, { error: 'the body must be a JSON object (a ProbeRequest)' });
    }
    context.probeRequest = probeRequest;
    const ticket = admission.request(options.clientKey ? options.clientKey(request) : undefined);
    if (ticket.busy) return json(429, { error: ticket.busy.message }, { 'Retry-After': String(ticket.busy.retryAfter) });
    const stream = /application\/x-ndjson/i.test(request.headers.get('accept') ?? '');
    if (!stream) {
      let release = ticket.release;
      try {
        release ??= await ticket.wait(signal);
      } catch (error) {
        if (error?.name === 'Busy') return json(429, { error: error.message }, { 'Retry-After': String(error.retryAfter) });
        throw error;
      }
      try {
        return json(200, await probe(probeRequest, signal));
      } catch (error) {
        if (/^invalid (probe request|argument)/.test(error?.message ?? '')) return json(400, { error: error.message });
        throw error;
      } finally {
        release();
      }
    }
    return streamed(ticket, probeRequest, signal);
  }

  /** The NDJSON answer: queue positions, steps, then the report (or an error line). */
  function streamed(ticket, probeRequest, signal) {
    const encoder = new TextEncoder();
    const controller = new AbortController();
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
    return new Response(new ReadableStream({
      async start(sink) {
        const line = (value) => {
          try { sink.enqueue(encoder.encode(`${JSON.stringify(value)}\n`)); } catch { /* the client left */ }
        };
        let release = ticket.release;
        try {
          if (!release) {
            line({ queued: { position: ticket.position } });
            release = await ticket.wait(controller.signal, (position) => line({ queued: { position } }));
          }
          line({ report: await probe(probeRequest, controller.signal, (step) => line({ step })) });
        } catch (error) {
          if (error?.name === 'Busy') line({ error: error.message, status: 429, retryAfter: error.retryAfter });
          else if (/^invalid (probe request|argument)/.test(error?.message ?? '')) line({ error: error.message, status: 400 });
          else if (!controller.signal.aborted) {
            logFailure(error, probeRequest);
            line({ error: UNEXPECTED, status: 500 });
          }
        } finally {
          release?.();
          try { sink.close(); } catch { /* already cancelled */ }
        }
      },
      cancel() { controller.abort(); },
    }), { status: 200, headers: NDJSON_TYPE });
  }

  const handler = async (request) => {
    let signal = new AbortController().signal;
    const context = {};
    try {
      signal = request.signal ?? signal;
      return await handle(request, signal, context);
    } catch (error) {
      if (signal.aborted) return json(499, { error: 'the client went away; the probe was cancelled' });
      logFailure(error, context.probeRequest);
      return json(500, { error: UNEXPECTED });
    }
  };
  /** Resolves once the policy is proven in force (and the engine loaded); rejects, naming the runtime, if not. */
  handler.ready = ready;
  /** Probes running and waiting now. */
  Object.defineProperty(handler, 'load', { get: () => ({ running: admission.running, queued: admission.queued }) });
  return handler;
}

/** Writes `response` to a Node `res`, stopping quietly if the client has gone. */
async function writeTo(res, response) {
  try {
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) {
      for await (const chunk of response.body) {
        if (res.destroyed) break;
        res.write(chunk);
      }
    }
    res.end();
  } catch {
    res.destroy();
  }
}

/**
 * The handler as a Node `(req, res)` listener (`http.createServer`, Express). It never throws:
 * the request URL is built from a fixed base and the request target only (never the Host
 * header), and a request that cannot be turned into a fetch `Request` is answered 400.
 */
export function toNodeListener(handler) {
  return (req, res) => {
    res.on('error', () => {}); // a client gone mid-answer is not the server's failure
    const controller = new AbortController();
    let request;
    try {
      const target = new URL(req.url ?? '/', BASE);
      const headers = new Headers();
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      request = new Request(`${BASE}${target.pathname}${target.search}`, {
        method: req.method,
        headers,
        body: hasBody ? Readable.toWeb(req) : undefined,
        duplex: hasBody ? 'half' : undefined,
        signal: controller.signal,
      });
    } catch {
      res.writeHead(400, { ...JSON_TYPE, Connection: 'close' });
      res.end('{"error":"the request is malformed"}');
      return;
    }
    res.on('close', () => { if (!res.writableFinished) controller.abort(); });
    Promise.resolve()
      .then(() => handler(request))
      .then((response) => writeTo(res, response), () => writeTo(res, json(500, { error: UNEXPECTED })));
  };
}
