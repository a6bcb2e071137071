// registry-probe/server against hostile clients and hostile registries, all on loopback: no
// request crashes it or holds it past its own limits, slots are released on every path, and a
// busy server queues before it refuses. Deterministic: the random requests come from a fixed seed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { createProbeHandler, toNodeListener } from 'registry-probe/server';
import init, { probeRegistry } from 'registry-probe';
import { startHostile } from '../rig/hostile.mjs';

const cli = new URL('../../pkg/cli.js', import.meta.url).pathname;
const PASSWORD = 'hostile-PASSWORD-4d1e';
let hostile, registry, hang, hangSockets = new Set();
const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
const urlOf = (server, path = '') => `http://127.0.0.1:${server.address().port}${path}`;

before(async () => {
  await init();
  hostile = await startHostile(0, 'http://127.0.0.1:9');
  registry = await listen(createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0' });
    res.end(req.url.startsWith('/v2/_catalog') ? '{"repositories":[]}' : '{}');
  }));
  hang = await listen(createServer(() => {}));
  hang.on('connection', (socket) => { hangSockets.add(socket); socket.on('close', () => hangSockets.delete(socket)); });
});
after(() => {
  for (const socket of hangSockets) socket.destroy();
  for (const server of [hostile, registry, hang]) server.close();
});

const post = (handler, body, { headers = {}, signal } = {}) => handler(new Request('http://console.test/probe', {
  method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body), signal,
}));
const codes = (report) => report.findings.map((f) => f.code);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `raw` bytes on a new connection; resolves with what came back (or '' on a reset). */
function rawRequest(port, raw, { keepOpen = false, timeoutMs = 3000 } = {}) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = () => { socket.destroy(); resolve(answer); };
    socket.setTimeout(timeoutMs, done);
    socket.on('data', (d) => { answer += d; if (!keepOpen && /\r\n\r\n/.test(answer)) setTimeout(done, 50); });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(raw);
  });
}
const statusOf = (answer) => Number(answer.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);

/** A small seeded PRNG (mulberry32), so the random requests are the same on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Malformed requests any client can send, with the statuses a sound server may answer. */
const MALFORMED = [
  ['Host that is not a host', 'POST /probe HTTP/1.1\r\nHost: a b\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'],
  ['absolute-form target with a bad host', 'POST http://a b/probe HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'],
  ['absolute-form target', 'POST http://x/probe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'],
  ['asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['no Host at all', 'POST /probe HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'],
  ['a 64 KiB header', `POST /probe HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`],
];

async function checkSurvives(port, probeUrl) {
  for (const [name, raw] of MALFORMED) {
    const status = statusOf(await rawRequest(port, raw));
    assert.ok(status >= 200 && status < 500 && status !== 0, `${name}: ${status}`);
    if (name === 'a 64 KiB header') assert.equal(status, 431, name);
  }
  // Still answering a real probe afterwards.
  const response = await fetch(probeUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: urlOf(registry) }) });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).permissions.reach, 'yes');
}

test('toNodeListener in a plain http server: malformed hosts and targets are answered, never thrown', async () => {
  const server = await listen(createServer(toNodeListener(createProbeHandler({ allowHosts: ['127.0.0.1'] }))));
  await checkSurvives(server.address().port, urlOf(server, '/probe'));
  server.close();
});

/** Starts `registry-probe serve` with `args`; resolves with its base URL and the child. */
function startServe(args) {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...args]);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const match = out.match(/^listening on (http:\/\/127\.0\.0\.1:(\d+)\/)$/m);
      if (match) resolve({ base: match[1], port: Number(match[2]), child });
    });
    child.on('exit', () => reject(new Error(`serve exited: ${out}`)));
  });
}

test('registry-probe serve survives malformed requests, 100 half-open clients and a seeded random request storm', async () => {
  const { base, port, child } = await startServe(['--allow-host', '127.0.0.1']);
  let exited = false;
  child.on('exit', () => { exited = true; });
  await checkSurvives(port, `${base}probe`);
  // 100 clients that send half a request and wait: another client is still answered.
  const halfOpen = await Promise.all(Array.from({ length: 100 }, () => new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => { socket.write('POST /probe HTTP/1.1\r\nHost: x\r\n'); resolve(socket); });
    socket.on('error', () => {});
  })));
  const health = await fetch(`${base}healthz`);
  assert.equal(health.status, 200);
  const probed = await fetch(`${base}probe`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: urlOf(registry) }) });
  assert.equal(probed.status, 200);
  halfOpen.forEach((socket) => socket.destroy());
  // 300 random requests from a fixed seed: random methods, targets, headers and bodies.
  const next = random(24);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const bytes = (n) => Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(next() * 95))).join('');
  const statuses = new Map();
  for (let i = 0; i < 300; i++) {
    const method = pick(['GET', 'POST', 'PUT', 'OPTIONS', 'HEAD', 'DELETE', bytes(5)]);
    const target = pick(['/probe', '/healthz', '*', `/${bytes(20)}`, `http://${bytes(8)}/probe`, '/probe?x=%zz', `//${bytes(4)}`]);
    const headers = [`Host: ${pick(['x', bytes(6), ''])}`];
    if (next() < 0.7) headers.push(`Content-Type: ${pick(['application/json', 'text/plain', bytes(10)])}`);
    const body = pick(['{}', '{"url":1}', `{"url":"${bytes(12)}"}`, bytes(40), '[]', 'null', '{"url":"http://127.0.0.1:1","timeoutMs":1}']);
    const length = pick([body.length, body.length + 5, 0]);
    const raw = `${method} ${target} HTTP/1.1\r\n${headers.join('\r\n')}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n${body}`;
    const status = statusOf(await rawRequest(port, raw, { timeoutMs: 1500 }));
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  console.log(`random requests: ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.ok(![...statuses.keys()].some((s) => s >= 500), `no 5xx: ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.equal(exited, false);
  const after = await fetch(`${base}probe`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: urlOf(registry) }) });
  assert.equal((await after.json()).permissions.reach, 'yes');
  child.kill('SIGTERM');
});

test('serve: configuration errors exit 64 with a message', () => {
  for (const [args, message] of [
    [['--allow-host', '10.0.0.0/99'], /--allow-host 10\.0\.0\.0\/99 is not a CIDR range/],
    [['--max-probe-ms', '0'], /--max-probe-ms takes a whole number from 1/],
    [['--max-queued', 'lots'], /--max-queued takes a whole number/],
    [['--timeout-ms', '4000000000'], /--timeout-ms takes a whole number from 1 to 2147483647/],
  ]) {
    const result = spawnSync(process.execPath, [cli, 'serve', '--port', '0', ...args], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 64, args.join(' '));
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace');
  }
});

test('the body is read within bodyTimeoutMs: a body sent one byte at a time is 408', async () => {
  const server = await listen(createServer(toNodeListener(createProbeHandler({ allowHosts: ['127.0.0.1'], bodyTimeoutMs: 500 }))));
  const answer = await new Promise((resolve) => {
    const socket = connect(server.address().port, '127.0.0.1', () => {
      socket.write('POST /probe HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{');
      const timer = setInterval(() => socket.write(' '), 100);
      let text = '';
      socket.on('data', (d) => { text += d; clearInterval(timer); socket.destroy(); resolve(text); });
    });
  });
  assert.equal(statusOf(answer), 408);
  server.close();
});

test('hostile registries: each probe ends by the server\'s limits with a report, whatever the client asked', async () => {
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'], maxProbeMs: 1500, maxCatalogPages: 10 });
  const greedy = { timeoutMs: 2_000_000_000, maxCatalogPages: 1_000_000 };
  // A body one byte at a time, forever: the server's deadline ends it.
  const trickle = await (await post(handler, { url: urlOf(hostile, '/trickle'), ...greedy })).json();
  assert.ok(codes(trickle).includes('probe-deadline'), codes(trickle).join());
  assert.equal(trickle.steps.find((s) => s.id === 'catalog').status, 'fail');
  assert.equal(trickle.permissions.reach, 'yes');
  // Every page full with a next Link: the server's page cap ends it.
  const endless = await (await post(handler, { url: urlOf(hostile, '/endless-catalog'), catalogPageSize: 5, ...greedy })).json();
  assert.equal(endless.catalog.pages, 10);
  assert.equal(endless.catalog.complete, false);
  // A 10 MB token: read up to the core's cap, then named.
  const token = await (await post(handler, { url: urlOf(hostile, '/token-10mb'), ...greedy })).json();
  assert.equal(token.verdict, 'failed');
  assert.ok(codes(token).length > 0);
  assert.deepEqual(handler.load, { running: 0, queued: 0 });
});

test('timeouts the client gives are capped by the server; one over 2^31-1 ms never fires at once', async () => {
  const slow = await listen(createServer((req, res) => setTimeout(() => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0' });
    res.end('{}');
  }, 300)));
  // Node directly: 4e9 ms is clamped, not overflowed into an immediate timeout.
  const report = await probeRegistry({ url: urlOf(slow), timeoutMs: 4e9 }, { deadlineMs: 20_000 });
  assert.equal(report.permissions.reach, 'yes', codes(report).join());
  // The server: the client asks for 60 s per request, the server's ceiling is 100 ms.
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'], timeoutMs: 100 });
  const capped = await (await post(handler, { url: urlOf(slow), timeoutMs: 60_000 })).json();
  assert.deepEqual(codes(capped), ['timeout']);
  assert.match(capped.findings[0].message, /after 100 ms/);
  slow.close();
});

test('busy: a bounded queue with positions for NDJSON clients, then 429 with Retry-After; per-client limits', async () => {
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'], maxConcurrent: 1, maxQueued: 1, queueTimeoutMs: 400 });
  const running = post(handler, { url: urlOf(hang), timeoutMs: 2000 });
  await sleep(50);
  const queued = await post(handler, { url: urlOf(registry) }, { headers: { Accept: 'application/x-ndjson' } });
  assert.equal(queued.status, 200);
  await sleep(20);
  assert.deepEqual(handler.load, { running: 1, queued: 1 });
  const full = await post(handler, { url: urlOf(registry) });
  assert.equal(full.status, 429);
  assert.equal(full.headers.get('retry-after'), '1');
  const lines = (await queued.text()).trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(lines[0], { queued: { position: 1 } });
  assert.equal(lines.at(-1).status, 429);
  assert.match(lines.at(-1).error, /no probe slot was free within 400 ms/);
  assert.equal((await (await running).json()).findings[0].code, 'timeout');
  assert.deepEqual(handler.load, { running: 0, queued: 0 });
  // A queued request is admitted when the slot frees, in order.
  const first = post(handler, { url: urlOf(hang), timeoutMs: 200 });
  await sleep(30);
  const second = await post(handler, { url: urlOf(registry) });
  assert.equal(second.status, 200);
  assert.equal((await second.json()).permissions.reach, 'yes');
  await first;
  // One client may hold one probe: its second is refused, another client's is admitted.
  const perClient = createProbeHandler({ allowHosts: ['127.0.0.1'], clientKey: (r) => r.headers.get('x-client') ?? undefined, maxPerClient: 1 });
  const held = post(perClient, { url: urlOf(hang), timeoutMs: 500 }, { headers: { 'X-Client': 'a' } });
  await sleep(30);
  assert.equal((await post(perClient, { url: urlOf(registry) }, { headers: { 'X-Client': 'a' } })).status, 429);
  assert.equal((await post(perClient, { url: urlOf(registry) }, { headers: { 'X-Client': 'b' } })).status, 200);
  await held;
  assert.equal((await post(perClient, { url: urlOf(registry) }, { headers: { 'X-Client': 'a' } })).status, 200);
});

test('slots are released on every path; 499 only when the client left, else 500 logged without secrets', async () => {
  // A fetch that resolves to something else is the caller's bug: a TypeError, not a crash.
  await assert.rejects(probeRegistry({ url: 'https://registry.example' }, { fetch: async () => 42 }), /fetch option must resolve to a fetch Response/);
  const logged = [];
  const broken = createProbeHandler({ policyFetch: async () => 42, log: (line) => logged.push(line), maxConcurrent: 1 });
  for (let i = 0; i < 3; i++) {
    const response = await post(broken, { url: 'https://registry.example', username: 'u', password: PASSWORD });
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { error: 'the probe failed unexpectedly; the server has logged why' });
    assert.deepEqual(broken.load, { running: 0, queued: 0 });
  }
  assert.equal(logged.length, 3);
  for (const line of logged) {
    assert.ok(!line.includes(PASSWORD) && !line.includes(Buffer.from(`u:${PASSWORD}`).toString('base64')), line);
  }
  // A client that leaves while its probe runs: 499, and the slot is free again.
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'], maxConcurrent: 1 });
  const controller = new AbortController();
  const leaving = post(handler, { url: urlOf(hang), timeoutMs: 5000 }, { signal: controller.signal });
  await sleep(50);
  controller.abort();
  assert.equal((await leaving).status, 499);
  assert.deepEqual(handler.load, { running: 0, queued: 0 });
  assert.equal((await post(handler, { url: urlOf(registry) })).status, 200, 'the freed slot is used');
});

test('through the server, the rate-limit source (the server\'s own egress address) is left out', async () => {
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'] });
  const text = await (await post(handler, { url: urlOf(hostile, '/rate-limit') })).text();
  assert.ok(!text.includes('192.0.2.10'), 'no source in the report or the trace');
  assert.equal(JSON.parse(text).rateLimit.limit, 100);
  // Node on its own machine keeps it: the address is the caller's own.
  const own = await probeRegistry({ url: urlOf(hostile, '/rate-limit') });
  assert.equal(own.rateLimit.source, '192.0.2.10');
});
