// Test connection from behind an egress proxy: the CLI, Node's probeRegistry and the console's
// server through Debian's tinyproxy on loopback (its log shows what went through it), to the
// rig's registry over plain http and to a TLS distribution through CONNECT; NO_PROXY; a proxy
// that is down, one that wants credentials, one that refuses the tunnel; and the server's policy
// deciding before the proxy is asked. Proxy credentials appear in no output.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import init, { probeRegistry } from 'registry-probe';
import { createProbeHandler } from 'registry-probe/server';
import { freePort, startRecordingProxy, startTinyproxy } from '../rig/proxy.mjs';

const rig = process.env.RIG_JSON ? JSON.parse(readFileSync(process.env.RIG_JSON, 'utf8')) : null;
const cli = new URL('../../pkg/cli.js', import.meta.url).pathname;
const PROXY_USER = 'proxy-user';
const PROXY_PASSWORD = 'proxy-PASS-5c2e';
const secrets = [PROXY_PASSWORD, Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')];
const codes = (report) => report.findings.map((f) => f.code);
const portOf = (url) => Number(new URL(url).port);
const noProxyEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?|no)_proxy$/i.test(k)));

let registry, open, auth, refusing, tls, stopTls, closedPort, dir;
before(async () => {
  await init();
  // A registry of our own on loopback when the rig is not running (the rig's open registry else).
  registry = rig ? null : createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0' });
    res.end(req.url.startsWith('/v2/_catalog') ? '{"repositories":[]}' : '{}');
  });
  if (registry) await new Promise((resolve) => registry.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(join(tmpdir(), 'registry-probe-proxy-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'self.key',
    '-out', 'self.pem', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, stdio: 'ignore' });
  const { startTlsRegistry } = await import('../rig/rig.mjs');
  [tls, stopTls] = await startTlsRegistry(join(dir, 'self.pem'), join(dir, 'self.key'));
  const target = registryUrl();
  open = await startTinyproxy({ connectPorts: [portOf(target), tls] });
  auth = await startTinyproxy({ connectPorts: [portOf(target)], basicAuth: [PROXY_USER, PROXY_PASSWORD] });
  refusing = await startTinyproxy({ connectPorts: [1] });
  closedPort = await freePort();
});
after(async () => {
  await Promise.all([open, auth, refusing].map((p) => p?.stop()));
  stopTls?.();
  registry?.close();
});

function registryUrl() {
  return rig ? rig.registries.open : `http://127.0.0.1:${registry.address().port}`;
}
const withCredentials = (proxy) => proxy.url.replace('http://', `http://${PROXY_USER}:${PROXY_PASSWORD}@`);

/** `registry-probe check URL --json ...args` with `env`; the parsed report, and all output checked for secrets. */
async function check(url, args = [], env = {}) {
  const result = await promisify(execFile)(process.execPath, [cli, 'check', url, '--json', '--trace', ...args], {
    encoding: 'utf8', timeout: 60_000, env: { ...noProxyEnv, ...env },
  }).catch((error) => error);
  for (const secret of secrets) {
    assert.ok(!`${result.stdout}${result.stderr}`.includes(secret), 'a proxy credential in the output');
  }
  return JSON.parse(result.stdout).probe;
}

test('the CLI goes through HTTP_PROXY to an http registry (tunnelled with CONNECT); the trace says so', async () => {
  const target = registryUrl();
  const before = open.connects().length;
  const report = await check(target, [], { HTTP_PROXY: open.url });
  assert.notEqual(report.verdict, 'failed', codes(report).join());
  assert.equal(report.permissions.reach, 'yes');
  assert.ok(open.connects().slice(before).includes(`127.0.0.1:${portOf(target)}`), open.connects().join());
  assert.ok(report.trace.every((t) => t.proxy === open.url), JSON.stringify(report.trace.map((t) => t.proxy)));
  // Lower-case variables count too, and --proxy overrides them all.
  const lower = await check(target, [], { http_proxy: open.url });
  assert.equal(lower.trace[0].proxy, open.url);
  const flag = await check(target, ['--proxy', open.url], { HTTP_PROXY: `http://127.0.0.1:${closedPort}` });
  assert.equal(flag.permissions.reach, 'yes');
});

test('the CLI with --ca reaches a TLS distribution through HTTPS_PROXY (CONNECT), verifying its certificate', async () => {
  const before = open.connects().length;
  const report = await check(`https://127.0.0.1:${tls}`, ['--ca', join(dir, 'self.pem')], { HTTPS_PROXY: open.url });
  assert.equal(report.permissions.reach, 'yes', codes(report).join());
  assert.equal(report.apiVersion, 'v2');
  assert.ok(open.connects().slice(before).includes(`127.0.0.1:${tls}`));
  // Without the CA, the tunnelled TLS is refused as untrusted (verification is never off).
  assert.deepEqual(codes(await check(`https://127.0.0.1:${tls}`, [], { HTTPS_PROXY: open.url })), ['tls-untrusted']);
});

test('NO_PROXY bypasses the proxy (host names, IP literals, *)', async () => {
  const target = registryUrl();
  for (const noProxy of ['127.0.0.1', 'localhost,127.0.0.1', '*']) {
    const before = open.connects().length;
    const report = await check(target, [], { HTTP_PROXY: open.url, NO_PROXY: noProxy });
    assert.equal(report.permissions.reach, 'yes', noProxy);
    assert.equal(open.connects().length, before, `${noProxy}: nothing went through the proxy`);
    assert.ok(report.trace.every((t) => t.proxy === null));
  }
});

test('what a proxy answers is named: down, 407, other credentials, a refused tunnel, NTLM', async () => {
  const target = registryUrl();
  const down = await check(target, [], { HTTP_PROXY: `http://127.0.0.1:${closedPort}` });
  assert.deepEqual(codes(down), ['proxy-unreachable']);
  assert.match(down.findings[0].message, new RegExp(`The proxy http://127\\.0\\.0\\.1:${closedPort} did not answer`));
  const noCredentials = await check(target, [], { HTTP_PROXY: auth.url });
  assert.deepEqual(codes(noCredentials), ['proxy-auth-required']);
  const wrong = await check(target, [], { HTTP_PROXY: auth.url.replace('http://', `http://${PROXY_USER}:wrong@`) });
  assert.deepEqual(codes(wrong), ['proxy-auth-required']);
  const right = await check(target, [], { HTTP_PROXY: withCredentials(auth) });
  assert.equal(right.permissions.reach, 'yes', codes(right).join());
  assert.equal(right.trace[0].proxy, auth.url, 'the trace names the proxy without its credentials');
  const refused = await check(target, [], { HTTP_PROXY: refusing.url });
  assert.deepEqual(codes(refused), ['proxy-refused']);
  assert.match(refused.findings[0].message, /\(403\) would not open a connection to http:\/\/127\.0\.0\.1:\d+\./);
  // A proxy that wants NTLM (tinyproxy has none: a recording CONNECT server answers as one would).
  const ntlm = await startRecordingProxy(407, { 'Proxy-Authenticate': 'NTLM' });
  const unsupported = await check(target, [], { HTTP_PROXY: ntlm.url });
  assert.deepEqual(codes(unsupported), ['proxy-auth-unsupported']);
  assert.match(unsupported.findings[0].message, /\(NTLM\)/);
  await ntlm.stop();
});

test('Node\'s probeRegistry: the proxy option, and argument errors beside fetch or in a bad URL', async () => {
  const report = await probeRegistry({ url: registryUrl() }, { proxy: withCredentials(auth) });
  assert.equal(report.permissions.reach, 'yes');
  assert.ok(!JSON.stringify(report).includes(PROXY_PASSWORD));
  assert.throws(() => probeRegistry({ url: registryUrl() }, { proxy: open.url, fetch }), /invalid argument: give proxy or fetch, not both/);
  assert.throws(() => probeRegistry({ url: registryUrl() }, { proxy: 'socks5://127.0.0.1:1' }), /invalid argument: proxy must be an http/);
});

test('the server: its policy decides before the proxy is asked; allowHosts lets a loopback registry through', async () => {
  const target = registryUrl();
  const post = async (handler, body) => (await handler(new Request('http://console.test/probe', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  }))).json();
  const refusing = createProbeHandler({ proxy: open.url });
  await refusing.ready; // the proof holds behind a proxy too
  const before = open.connects().length;
  assert.deepEqual(codes(await post(refusing, { url: target })), ['address-not-allowed']);
  assert.equal(open.connects().length, before, 'nothing reached the proxy');
  const allowing = createProbeHandler({ proxy: withCredentials(open), allowHosts: ['127.0.0.1'] });
  const report = await post(allowing, { url: target });
  assert.equal(report.permissions.reach, 'yes', codes(report).join());
  assert.ok(open.connects().length > before);
  assert.equal(report.trace[0].proxy, open.url);
  assert.ok(!JSON.stringify(report).includes(PROXY_PASSWORD));
  // A name that resolves here to a refused address is refused before the proxy hears of it.
  const lookup = (name, options, callback) => (name === 'inside.test'
    ? callback(null, [{ address: '10.1.2.3', family: 4 }])
    : callback(Object.assign(new Error(`${name} not found`), { code: 'ENOTFOUND' })));
  const recorder = await startRecordingProxy(502);
  const checking = createProbeHandler({ proxy: recorder.url, lookup });
  assert.deepEqual(codes(await post(checking, { url: 'https://inside.test' })), ['address-not-allowed']);
  // A name that does not resolve here goes to the proxy only with proxyResolves.
  assert.deepEqual(codes(await post(checking, { url: 'https://only-the-proxy.test' })), ['proxy-name-unresolved']);
  assert.deepEqual(recorder.targets, []);
  const resolving = createProbeHandler({ proxy: recorder.url, lookup, proxyResolves: true });
  assert.deepEqual(codes(await post(resolving, { url: 'https://only-the-proxy.test' })), ['proxy-refused']);
  assert.deepEqual(recorder.targets, ['only-the-proxy.test:443']);
  await recorder.stop();
  assert.throws(() => createProbeHandler({ policyFetch: fetch, proxy: open.url }), /policyFetch enforces the policy itself; give proxy/);
});

test('registry-probe serve --proxy: through the proxy with --allow-host; a bad --proxy exits 64', async () => {
  const bad = await promisify(execFile)(process.execPath, [cli, 'serve', '--port', '0', '--proxy', 'not a url'], { encoding: 'utf8' }).catch((e) => e);
  assert.equal(bad.code, 64);
  assert.match(bad.stderr, /--proxy must be an http/);
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--allow-host', '127.0.0.1', '--proxy', withCredentials(open)], { env: noProxyEnv });
  let out = '';
  child.stderr.on('data', (d) => { out += d; });
  const base = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (\S+)/); if (m) resolve(m[1]); });
    child.on('exit', () => reject(new Error(out)));
  });
  const before = open.connects().length;
  const response = await fetch(`${base}probe`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: registryUrl() }) });
  const text = await response.text();
  assert.equal(JSON.parse(text).permissions.reach, 'yes');
  assert.ok(open.connects().length > before);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  for (const secret of secrets) assert.ok(!`${text}${out}`.includes(secret));
});
