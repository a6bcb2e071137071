// registry-probe/server: the policy on a table, the handler's answers, and probes through it
// against registries on loopback (allowed explicitly; the default policy refuses loopback and a
// counting server proves nothing reached it). No connection to anything but loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createProbeHandler, toNodeListener } from 'registry-probe/server';
import { createPolicy } from '../../pkg/policy.js';
import init from 'registry-probe';

let counting, countingPort, hits = 0;
before(async () => {
  await init(); // the policy's loopback rule is the core's
  counting = createServer((req, res) => {
    hits++;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0' });
    res.end(req.url === '/v2/_catalog?n=100' ? '{"repositories":[]}' : '{}');
  });
  await new Promise((resolve) => counting.listen(0, '127.0.0.1', resolve));
  countingPort = counting.address().port;
});
after(() => counting.close());

const post = (handler, body, headers = {}) => handler(new Request('http://console.test/probe', {
  method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body),
}));
const codes = (report) => report.findings.map((f) => f.code);

test('the default policy: public unicast only, also behind IPv4-mapped and compatible forms', () => {
  const policy = createPolicy();
  for (const address of ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888']) assert.ok(policy.allowsAddress(address), address);
  for (const address of ['127.0.0.1', '127.9.9.9', '::1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1',
    '169.254.169.254', '0.0.0.0', '0.1.2.3', 'fc00::1', 'fd12::1', 'fe80::1', '224.0.0.1', 'ff02::1', '255.255.255.255',
    '240.0.0.1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::127.0.0.1', '::', 'not-an-ip']) {
    assert.ok(!policy.allowsAddress(address), address);
  }
  assert.ok(!policy.allowsName('localhost') && !policy.allowsName('registry.localhost') && policy.allowsName('registry.example'));
  const allowing = createPolicy({ allowHosts: ['127.0.0.1', '10.0.0.0/8', 'registry.localhost'], allowPrivateNetworks: false });
  assert.ok(allowing.allowsAddress('127.0.0.1') && allowing.allowsAddress('10.200.0.1') && !allowing.allowsAddress('127.0.0.2'));
  assert.ok(allowing.allowsName('registry.localhost') && allowing.allowedByName('registry.localhost'));
  const privateNets = createPolicy({ allowPrivateNetworks: true });
  assert.ok(privateNets.allowsAddress('192.168.1.1') && privateNets.allowsAddress('fd00::1') && !privateNets.allowsAddress('127.0.0.1'));
  assert.ok(!privateNets.allowsAddress('169.254.169.254'), 'metadata stays refused');
});

test('the default policy refuses loopback in every spelling, and a name that resolves to it; nothing reaches it', async () => {
  const handler = createProbeHandler({ lookup: (name, options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]) });
  const before = hits;
  for (const host of ['127.0.0.1', 'localhost', '[::1]', '[::ffff:127.0.0.1]', '2130706433', '0x7f.1', 'registry.example']) {
    const response = await post(handler, { url: `http://${host}:${countingPort}` });
    assert.equal(response.status, 200, host);
    const report = await response.json();
    assert.equal(report.verdict, 'failed', host);
    assert.deepEqual(codes(report), ['address-not-allowed'], host);
  }
  assert.equal(hits, before, 'nothing reached the loopback server');
});

test('the handler answers 405, 415, 413, 400 (never echoing a value) and, with maxQueued 0, 429 at once', async () => {
  const handler = createProbeHandler({ maxConcurrent: 1, maxQueued: 0, maxBodyBytes: 200, allowHosts: ['127.0.0.1'] });
  const get = await handler(new Request('http://console.test/probe'));
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  assert.equal((await post(handler, '{}', { 'Content-Type': 'text/plain' })).status, 415);
  assert.equal((await post(handler, JSON.stringify({ url: 'x'.repeat(300) }))).status, 413);
  assert.equal((await post(handler, '{nope')).status, 400);
  const bad = await post(handler, { url: 'localhost:1', password: 424242 });
  assert.equal(bad.status, 400);
  const { error } = await bad.json();
  assert.equal(error, 'invalid probe request: password must be a string');
  // One probe running (it waits on a server that never answers): the next is 429.
  const hang = createServer(() => {});
  await new Promise((resolve) => hang.listen(0, '127.0.0.1', resolve));
  const first = post(handler, { url: `http://127.0.0.1:${hang.address().port}`, timeoutMs: 1000 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const second = await post(handler, { url: `http://127.0.0.1:${countingPort}` });
  assert.equal(second.status, 429);
  assert.equal(second.headers.get('retry-after'), '1');
  assert.equal((await (await first).json()).findings[0].code, 'timeout');
  hang.closeAllConnections();
  hang.close();
});

test('NDJSON: a line per step change, then the report', async () => {
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'] });
  const response = await post(handler, { url: `http://127.0.0.1:${countingPort}`, repository: 'team/app' }, { Accept: 'application/x-ndjson' });
  assert.equal(response.headers.get('content-type'), 'application/x-ndjson');
  const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line));
  assert.ok(lines.length > 3);
  assert.ok(lines.slice(0, -1).every((line) => line.step && line.step.id));
  assert.equal(lines.at(-1).report.steps.length, 6);
});

test('through a Node server: a client that disconnects aborts its probe', async () => {
  const hang = createServer(() => {});
  await new Promise((resolve) => hang.listen(0, '127.0.0.1', resolve));
  const open = new Set();
  hang.on('connection', (socket) => { open.add(socket); socket.on('close', () => open.delete(socket)); });
  const server = createServer(toNodeListener(createProbeHandler({ allowHosts: ['127.0.0.1'] })));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const controller = new AbortController();
  const pending = fetch(`http://127.0.0.1:${server.address().port}/probe`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: `http://127.0.0.1:${hang.address().port}`, timeoutMs: 20000 }), signal: controller.signal,
  }).catch((e) => e);
  await new Promise((resolve) => { const t = setInterval(() => { if (open.size) { clearInterval(t); resolve(); } }, 10); });
  controller.abort();
  await pending;
  const started = Date.now();
  await new Promise((resolve) => { const t = setInterval(() => { if (!open.size) { clearInterval(t); resolve(); } }, 10); });
  assert.ok(Date.now() - started < 5000, 'the registry connection closed once the client left');
  server.close();
  hang.close();
});

test('through the server against the rig: open, htpasswd right and wrong, token; no secret in any answer', { skip: !process.env.RIG_JSON }, async () => {
  const rig = JSON.parse(readFileSync(process.env.RIG_JSON, 'utf8'));
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'] });
  const probe = async (request) => {
    const response = await post(handler, request);
    const text = await response.text();
    for (const secret of ['basic-pass', 'wrong-pass', 'admin-pass', Buffer.from('basic-user:basic-pass').toString('base64'), 'eyJ']) {
      assert.ok(!text.includes(secret), `${secret} in the answer`);
    }
    return JSON.parse(text);
  };
  assert.equal((await probe({ url: rig.registries.open })).verdict, 'ok');
  assert.equal((await probe({ url: rig.registries.basicDirect, username: 'basic-user', password: 'basic-pass' })).verdict, 'ok');
  assert.deepEqual(codes(await probe({ url: rig.registries.basicDirect, username: 'basic-user', password: 'wrong-pass' })), ['credentials-rejected']);
  assert.equal((await probe({ url: rig.registries.token, username: 'admin', password: 'admin-pass' })).verdict, 'ok');
});

test('registry-probe serve: /healthz, POST /probe, bad flags exit 64, SIGTERM stops it', async () => {
  const { spawn, spawnSync } = await import('node:child_process');
  const cli = new URL('../../pkg/cli.js', import.meta.url).pathname;
  const bad = spawnSync(process.execPath, [cli, 'serve', '--port', 'abc'], { encoding: 'utf8' });
  assert.equal(bad.status, 64);
  assert.match(bad.stderr, /--port takes a whole number/);
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--allow-host', '127.0.0.1', '--max-concurrent', '2']);
  const base = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const match = out.match(/^listening on (http:\/\/127\.0\.0\.1:\d+\/)$/m);
      if (match) resolve(match[1]);
    });
    child.on('exit', () => reject(new Error(`exited: ${out}`)));
  });
  assert.equal((await fetch(`${base}healthz`)).status, 200);
  const response = await fetch(`${base}probe`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: `http://127.0.0.1:${countingPort}` }),
  });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).ranFrom, 'node');
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('load: 200 concurrent probes with maxConcurrent 8 are all answered (200 or 429); nothing hangs', async () => {
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'], maxConcurrent: 8 });
  const rssBefore = process.memoryUsage().rss;
  const statuses = await Promise.all(Array.from({ length: 200 }, () => post(handler, { url: `http://127.0.0.1:${countingPort}` })
    .then(async (r) => { await r.arrayBuffer(); return r.status; })));
  const counts = statuses.reduce((c, s) => ({ ...c, [s]: (c[s] ?? 0) + 1 }), {});
  assert.deepEqual(Object.keys(counts).sort(), Object.keys(counts).filter((s) => s === '200' || s === '429').sort());
  assert.ok(counts[200] >= 8 && counts[429] > 0, JSON.stringify(counts));
  const grown = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
  console.log(`load: ${JSON.stringify(counts)}, RSS grew ${grown.toFixed(1)} MiB`);
  assert.ok(grown < 200, `RSS grew ${grown} MiB`);
  // Nothing in flight afterwards: the next probe is admitted at once.
  assert.equal((await post(handler, { url: `http://127.0.0.1:${countingPort}` })).status, 200);
});

test('every request of a probe is checked: a realm on a refused host is never contacted; names resolving to private addresses are refused', async () => {
  // registry.test (allowed by name) is a registry on loopback whose token realm is an IP literal
  // the policy refuses; the realm's counting server must see nothing.
  const realmHits = [];
  const realm = createServer((req, res) => { realmHits.push(req.url); res.end('{}'); });
  await new Promise((resolve) => realm.listen(0, '127.0.0.1', resolve));
  const registry = createServer((req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://127.0.0.1:${realm.address().port}/token",service="test"` });
    res.end();
  });
  await new Promise((resolve) => registry.listen(0, '127.0.0.1', resolve));
  const lookup = (name, options, callback) => {
    const table = { 'registry.test': '127.0.0.1', 'internal.test': '10.1.2.3', 'metadata.test': '169.254.169.254', 'six.test': 'fd00::1' };
    return table[name] ? callback(null, [{ address: table[name], family: table[name].includes(':') ? 6 : 4 }]) : callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
  };
  const handler = createProbeHandler({ allowHosts: ['registry.test'], lookup });
  const report = await (await post(handler, { url: `http://registry.test:${registry.address().port}` })).json();
  assert.deepEqual(codes(report), ['address-not-allowed']);
  assert.match(report.findings[0].message, /127\.0\.0\.1/);
  assert.deepEqual(realmHits, [], 'the refused realm saw nothing');
  for (const name of ['internal.test', 'metadata.test', 'six.test']) {
    const refused = await (await post(handler, { url: `http://${name}:5000` })).json();
    assert.deepEqual(codes(refused), ['address-not-allowed'], name);
  }
  const unknown = await (await post(handler, { url: 'http://nowhere.test:5000' })).json();
  assert.deepEqual(codes(unknown), ['dns-not-found']);
  realm.close();
  registry.close();
});

test('the relay gets the page origin to replay; an opaque ("null") origin is no error and replays nothing', async () => {
  const { probeRegistry } = await import('registry-probe');
  const bodies = [];
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'] });
  const relay = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = JSON.parse(Buffer.concat(chunks).toString());
    bodies.push(body);
    const answer = await post(handler, body, { Accept: 'application/x-ndjson' });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const relayUrl = `http://127.0.0.1:${relay.address().port}/probe`;
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'location');
  try {
    for (const [href, origin] of [['http://console.test/form', 'http://console.test'], ['file:///form.html', 'null']]) {
      Object.defineProperty(globalThis, 'location', { value: { href, origin }, configurable: true });
      const report = await probeRegistry({ url: `http://127.0.0.1:${countingPort}` }, { relay: { url: relayUrl, mode: 'always' } });
      assert.equal(report.ranFrom, 'relay');
      assert.equal(report.verdict, 'partial'); // the counting registry lists no repository
      assert.equal(bodies.at(-1).origin, origin);
      // The counting registry sends no CORS headers: the replay names that for the real origin.
      assert.equal(codes(report).includes('cors-origin-missing'), origin !== 'null');
    }
  } finally {
    if (saved) Object.defineProperty(globalThis, 'location', saved);
    else delete globalThis.location;
    relay.close();
  }
});

test('policyFetch: used as given, with none of the handler\'s policy beside it', async () => {
  const vouched = async () => new Response('{}', { status: 200, headers: { 'Docker-Distribution-Api-Version': 'registry/2.0' } });
  for (const clash of [{ allowHosts: ['127.0.0.1'] }, { allowPrivateNetworks: true }, { lookup: () => {} }, { ca: 'PEM' }]) {
    assert.throws(() => createProbeHandler({ policyFetch: vouched, ...clash }), new RegExp(`invalid argument: policyFetch .*${Object.keys(clash)[0]}`));
  }
  assert.throws(() => createProbeHandler({ policyFetch: 'fetch' }), /policyFetch must be a function/);
  // Loopback is refused by the handler's own policy, but with policyFetch that is the caller's call.
  const sent = [];
  const handler = createProbeHandler({ policyFetch: async (request) => { sent.push(request.url); return vouched(); } });
  await handler.ready;
  const report = await (await post(handler, { url: 'http://127.0.0.1:9/' })).json();
  assert.equal(report.permissions.reach, 'yes');
  assert.equal(sent[0], 'http://127.0.0.1:9/v2/');
});

test('address-not-allowed names the refused origin in one sentence', async () => {
  const handler = createProbeHandler();
  await handler.ready;
  const report = await (await post(handler, { url: `http://127.0.0.1:${countingPort}` })).json();
  assert.equal(report.findings[0].message, `The console's server does not connect to http://127.0.0.1:${countingPort}: it is not a public address, so nothing was sent.`);
});
