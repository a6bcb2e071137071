#!/usr/bin/env node
// registry-probe check <url> [--username U --password-stdin] [--repository R] [--origin O] [--proxy URL]
//                      [--trace] [--json]
// registry-probe serve [--port 8787] [--host 127.0.0.1] [--allow-host H]... [--allow-private-networks]
//                      [--max-concurrent N] [--max-queued N] [--queue-timeout-ms MS] [--timeout-ms MS]
//                      [--max-probe-ms MS] [--max-catalog-pages N] [--proxy URL [--proxy-resolves]]
// Same engine and codes as the browser. Exit code: 0 ok, 1 partial, 2 failed (or bad usage: 64).
// The password is read from standard input (--password-stdin) or REGISTRY_PROBE_PASSWORD, never
// from the command line, where other users of the machine could read it.
import { parseArgs } from 'node:util';

// undici marks EnvHttpProxyAgent (how proxies are read) experimental with a warning on first use:
// not the CLI user's concern. Every other warning is printed as Node prints it.
const printWarnings = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning?.code !== 'UNDICI-EHPA') printWarnings.forEach((print) => print(warning));
});
import init, { probeRegistry, validateRegistryUrl } from './node.js';

const USAGE = `usage: registry-probe check <url> [--username USER [--password-stdin]] [--repository REPO]
                           [--timeout-ms MS] [--ca FILE] [--origin ORIGIN] [--proxy URL] [--trace] [--json]
       registry-probe serve [--port 8787] [--host 127.0.0.1] [--allow-host HOST]...
                           [--allow-private-networks] [--max-concurrent N] [--max-queued N]
                           [--queue-timeout-ms MS] [--timeout-ms MS] [--max-probe-ms MS]
                           [--max-catalog-pages N] [--proxy URL [--proxy-resolves]]
The password comes from standard input (--password-stdin) or the REGISTRY_PROBE_PASSWORD variable.
--origin checks CORS as a page on ORIGIN would meet it; --trace prints every request and the
curl commands to repeat them (with $REGISTRY_USERNAME, $REGISTRY_PASSWORD and $TOKEN).
Proxies: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), or --proxy URL for every request.`;

/** The whole check's time limit: it then reports what it confirmed (probe-deadline). */
const CHECK_DEADLINE_MS = 60_000;

function fail(message) {
  process.stderr.write(`registry-probe: ${message}\n${USAGE}\n`);
  process.exit(64);
}

/** A whole number from `min` to `max`, or exit 64 naming the flag. */
function whole(flag, text, min, max) {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    fail(`${flag} takes a whole number from ${min} to ${max}`);
  }
  return n;
}

/** serve's limit flags and the handler option each sets (its range is the handler's, HANDLER_LIMITS). */
const SERVE_LIMITS = {
  'max-concurrent': 'maxConcurrent',
  'max-queued': 'maxQueued',
  'queue-timeout-ms': 'queueTimeoutMs',
  'timeout-ms': 'timeoutMs',
  'max-probe-ms': 'maxProbeMs',
  'max-catalog-pages': 'maxCatalogPages',
};

/** `registry-probe serve`: the server-side probe at POST /probe, health at GET /healthz. */
async function serve(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: false, strict: true,
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        'allow-host': { type: 'string', multiple: true, default: [] },
        'allow-private-networks': { type: 'boolean', default: false },
        proxy: { type: 'string' },
        'proxy-resolves': { type: 'boolean', default: false },
        ...Object.fromEntries(Object.keys(SERVE_LIMITS).map((flag) => [flag, { type: 'string' }])),
      },
    });
  } catch (error) {
    fail(error.message);
  }
  const { values } = parsed;
  const port = whole('--port', values.port, 0, 65535);
  const { createServer } = await import('node:http');
  const { HANDLER_LIMITS, createProbeHandler, toNodeListener } = await import('./server.js');
  const limits = {};
  for (const [flag, option] of Object.entries(SERVE_LIMITS)) {
    const [, min, max] = HANDLER_LIMITS[option];
    if (values[flag] !== undefined) limits[option] = whole(`--${flag}`, values[flag], min, max);
  }
  let handler;
  try {
    handler = createProbeHandler({
      allowHosts: values['allow-host'], allowPrivateNetworks: values['allow-private-networks'], ...limits,
      proxy: values.proxy, proxyResolves: values['proxy-resolves'],
    });
  } catch (error) {
    fail(error.message
      .replace(/^invalid argument: allowHosts\[(\d+)\]/, (_, i) => `--allow-host ${values['allow-host'][i]}`)
      .replace(/^invalid argument: proxy/, '--proxy'));
  }
  try {
    await handler.ready; // the address policy is in force on this runtime, or nothing is served
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const probe = toNodeListener(handler);
  // Slow or half-open clients are dropped: headers within 10 s, the whole request within 60 s,
  // idle keep-alive connections after 5 s.
  const server = createServer({ headersTimeout: 10_000, requestTimeout: 60_000, keepAliveTimeout: 5_000 }, (req, res) => {
    let path = null;
    try {
      path = new URL(req.url ?? '/', 'http://registry-probe.invalid').pathname;
    } catch { /* answered 400 below */ }
    if (path === null) return res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"the request is malformed"}');
    if (path === '/healthz' && req.method === 'GET') return res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
    if (path === '/probe') return probe(req, res);
    return res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"POST /probe or GET /healthz"}');
  });
  server.on('error', (error) => {
    process.stderr.write(`registry-probe: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(port, values.host, () => {
    const { address, port: bound } = server.address();
    const host = address.includes(':') ? `[${address}]` : address;
    process.stdout.write(`listening on http://${host}:${bound}/\n`);
  });
  const stop = () => server.close(() => process.exit(0)) && server.closeAllConnections();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function parse(argv) {
  if (argv.some((a) => a === '--password' || a.startsWith('--password='))) {
    fail('passwords are not taken from the command line; use --password-stdin or REGISTRY_PROBE_PASSWORD');
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean', default: false },
        'password-stdin': { type: 'boolean', default: false },
        username: { type: 'string' },
        repository: { type: 'string' },
        'timeout-ms': { type: 'string' },
        ca: { type: 'string' },
        origin: { type: 'string' },
        proxy: { type: 'string' },
        trace: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    fail(error.message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const [command, url, ...extra] = positionals;
  if (command !== 'check' || !url) fail('expected: check <url>');
  if (extra.length) fail(`unexpected argument ${extra[0]}`);
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : whole('--timeout-ms', values['timeout-ms'], 1, 4294967295);
  return {
    url, json: values.json, passwordStdin: values['password-stdin'],
    username: values.username, repository: values.repository, timeoutMs, ca: values.ca,
    origin: values.origin, trace: values.trace, proxy: values.proxy,
  };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

if (process.argv[2] === 'serve') {
  await serve(process.argv.slice(3));
} else {
  await check(parse(process.argv.slice(2)));
}

async function check(options) {
  await init();
  let ca;
  if (options.ca) {
    try {
      ca = await (await import('node:fs/promises')).readFile(options.ca, 'utf8');
    } catch (error) {
      fail(`--ca: cannot read ${options.ca} (${error.code ?? error.message})`);
    }
  }
  const password = options.passwordStdin ? await readStdin() : process.env.REGISTRY_PROBE_PASSWORD;
  const url = validateRegistryUrl(options.url);
  const canProbe = url.ok;
  const report = canProbe
    ? await Promise.resolve()
      .then(() => probeRegistry({ url: options.url, username: options.username, password, repository: options.repository, timeoutMs: options.timeoutMs }, { ca, origin: options.origin, proxy: options.proxy, deadlineMs: CHECK_DEADLINE_MS }))
      .catch((error) => fail(error.message.replace(/^invalid (probe request|argument): /, '--')))
    : null;
  const exitCode = !report ? 2 : { ok: 0, partial: 1, failed: 2 }[report.verdict];

  if (options.json) {
    process.stdout.write(`${JSON.stringify({ url, probe: report }, null, 2)}\n`);
  } else {
    const out = [];
    if (url.endpoint) out.push(`registry  ${url.endpoint.url} (${url.endpoint.provider}, API ${url.endpoint.apiVersion})`);
    for (const d of url.diagnostics) out.push(`  ${d.severity.padEnd(7)} ${d.code}: ${d.message}${d.fix ? ` Fix: ${d.fix.value}` : ''}`);
    if (report) {
      out.push(`verdict   ${report.verdict}  (reach ${report.permissions.reach}, list images ${report.permissions.listImages}, list tags ${report.permissions.listTags}, pull ${report.permissions.pull}; ${report.requests} requests)`);
      for (const s of report.steps) out.push(`  ${s.status.padEnd(7)} ${s.id.padEnd(7)} ${s.summary}${s.durationMs === null ? '' : ` (${Math.round(s.durationMs)} ms)`}`);
      for (const f of report.findings) {
        out.push(`  ${f.severity.padEnd(7)} ${f.code}: ${f.message}${f.fix ? `\n          fix: ${f.fix}` : ''}`);
        if (f.snippet) out.push(...f.snippet.text.trimEnd().split('\n').map((line) => `          | ${line}`));
      }
      if (options.trace) {
        out.push('trace');
        for (const t of report.trace) {
          const auth = t.requestHeaders.authorization ? ` [${t.requestHeaders.authorization}]` : '';
          const outcome = t.status === null ? t.error : t.status;
          const ms = t.durationMs === null ? '' : ` ${Math.round(t.durationMs)} ms`;
          const via = t.proxy ? ` via ${t.proxy}` : '';
          out.push(`  ${t.method.padEnd(7)} ${t.url}${auth}${t.noCors ? ' (no-cors)' : ''}${via} -> ${outcome}${ms}`);
          for (const [name, value] of Object.entries(t.headers)) out.push(`          ${name}: ${value}`);
        }
        out.push('curl');
        for (const command of report.curl) out.push(`  ${command}`);
      }
    }
    process.stdout.write(`${out.join('\n')}\n`);
  }
  process.exitCode = exitCode;
}
