// Network failures named from Node, on real servers on loopback: a closed port, a self-signed
// certificate, https:// to a plain-http port, http:// to a TLS port; and, trusting a test CA
// through NODE_EXTRA_CA_CERTS, a certificate for another name and an expired one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import init, { probeRegistry } from 'registry-probe';

const dir = mkdtempSync(join(tmpdir(), 'registry-probe-tls-'));
const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
const servers = [];
const answer = (req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0' });
  res.end('{}');
};
async function listen(server) {
  servers.push(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}
const tls = (cert) => createHttps({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, cert)) }, answer);
const codes = (report) => report.findings.map((f) => f.code);
let ports;

before(async () => {
  await init();
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=registry-probe test CA');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=other.example');
  writeFileSync(join(dir, 'ext'), 'subjectAltName=DNS:other.example\n');
  const sign = (out, days) => openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-CAcreateserial', '-out', out, '-days', days, '-extfile', 'ext');
  sign('other-name.pem', '1');
  sign('expired.pem', '0'); // valid for no time at all: expired by the time it is used
  openssl('req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1');
  ports = {
    // Nothing listens on port 2 (privileged, and no test server takes it: they bind port 0); a
    // port freed by a test could be taken by a parallel test file.
    closed: 2,
    plain: await listen(createHttp(answer)),
    selfSigned: await listen(createHttps({ key: readFileSync(join(dir, 'self.key')), cert: readFileSync(join(dir, 'self.pem')) }, answer)),
    otherName: await listen(tls('other-name.pem')),
    expired: await listen(tls('expired.pem')),
  };
  await new Promise((resolve) => setTimeout(resolve, 1100)); // past the expired certificate's second
});
after(() => {
  for (const server of servers) server.close();
});

test('a closed port is connection-refused', async () => {
  const report = await probeRegistry({ url: `http://127.0.0.1:${ports.closed}` });
  assert.deepEqual(codes(report), ['connection-refused']);
  assert.match(report.findings[0].message, new RegExp(`^http://127\\.0\\.0\\.1:${ports.closed} refused the connection`));
  assert.equal(report.verdict, 'failed');
});

test('a self-signed certificate is tls-untrusted, with the CA fix (never turning verification off)', async () => {
  const report = await probeRegistry({ url: `https://127.0.0.1:${ports.selfSigned}` });
  assert.deepEqual(codes(report), ['tls-untrusted']);
  assert.match(report.findings[0].fix, /NODE_EXTRA_CA_CERTS/);
});

test('https:// to a plain-http port is tls-not-tls, with the http URL as the fix on loopback', async () => {
  const report = await probeRegistry({ url: `https://127.0.0.1:${ports.plain}` });
  assert.deepEqual(codes(report), ['tls-not-tls']);
  assert.equal(report.findings[0].fix, `Use http://127.0.0.1:${ports.plain}, or enable TLS on the registry.`);
});

test('http:// to a TLS port: the connection is closed before an answer', async () => {
  const report = await probeRegistry({ url: `http://127.0.0.1:${ports.selfSigned}` });
  assert.deepEqual(codes(report), ['connection-reset']);
  assert.match(report.findings[0].fix, /a TLS port needs https:\/\//);
});

test('trusting the test CA: a certificate for another name, and an expired one', async () => {
  // Asynchronously: this process's servers must keep answering while the child probes them.
  const { stdout } = await promisify(execFile)(process.execPath, [new URL('./probe-child.mjs', import.meta.url).pathname,
    `https://127.0.0.1:${ports.otherName}`, `https://127.0.0.1:${ports.expired}`], {
    encoding: 'utf8', timeout: 60000, env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') },
  });
  const [otherName, expired] = stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(codes(otherName), ['tls-name-mismatch']);
  assert.match(otherName.findings[0].message, /is for other names \(.*other\.example.*\)\.$/);
  assert.deepEqual(codes(expired), ['tls-expired']);
});

test('the CLI prints the cause and exits 2', async () => {
  const cli = new URL('../../pkg/cli.js', import.meta.url).pathname;
  const run = promisify(execFile);
  for (const [url, code] of [[`https://127.0.0.1:${ports.selfSigned}`, 'tls-untrusted'], [`http://127.0.0.1:${ports.closed}`, 'connection-refused']]) {
    const error = await run(process.execPath, [cli, 'check', url], { encoding: 'utf8', timeout: 60000 }).then(() => null, (e) => e);
    assert.equal(error?.code, 2, url);
    assert.match(error.stdout, new RegExp(`error +${code}: `), url);
  }
});

test('probeRegistry sends every request through an injected fetch', async () => {
  const seen = [];
  const counting = (request) => {
    seen.push(`${request.method} ${new URL(request.url).pathname}`);
    return fetch(request);
  };
  const report = await probeRegistry({ url: `http://127.0.0.1:${ports.plain}`, repository: 'team/app' }, { fetch: counting });
  assert.equal(report.requests, seen.length);
  assert.deepEqual(seen.slice(0, 2), ['GET /v2/', 'GET /v2/_catalog']);
  assert.throws(() => probeRegistry({ url: 'localhost:1' }, { fetch: 'no' }), /invalid argument: fetch must be a function/);
});

test('ca: extra trusted certificates for this probe only, in probeRegistry, the CLI and the server', async () => {
  const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const otherName = await probeRegistry({ url: `https://127.0.0.1:${ports.otherName}` }, { ca });
  assert.deepEqual(codes(otherName), ['tls-name-mismatch']);
  assert.match(otherName.findings[0].message, /DNS:other\.example/);
  const expired = await probeRegistry({ url: `https://127.0.0.1:${ports.expired}` }, { ca });
  assert.deepEqual(codes(expired), ['tls-expired']);
  // The dates, read from the certificate: valid from … to … (the same second here).
  assert.match(expired.findings[0].message, /is not valid now \(valid \w{3} +\d+ [\d:]+ \d{4} GMT – \w{3} +\d+ [\d:]+ \d{4} GMT\)\.$/);
  // The self-signed registry, trusted through its own certificate: no TLS finding any more.
  const self = readFileSync(join(dir, 'self.pem'), 'utf8');
  const trusted = await probeRegistry({ url: `https://127.0.0.1:${ports.selfSigned}` }, { ca: self });
  assert.ok(!codes(trusted).some((c) => c.startsWith('tls-')), codes(trusted).join());
  assert.equal(trusted.permissions.reach, 'yes');
  // Scoped to that probe: the next one without ca still refuses the certificate.
  assert.deepEqual(codes(await probeRegistry({ url: `https://127.0.0.1:${ports.selfSigned}` })), ['tls-untrusted']);
  const cli = new URL('../../pkg/cli.js', import.meta.url).pathname;
  const viaCli = await promisify(execFile)(process.execPath, [cli, 'check', `https://127.0.0.1:${ports.selfSigned}`, '--ca', join(dir, 'self.pem')], { encoding: 'utf8' }).catch((e) => e);
  assert.ok(!/tls-untrusted/.test(viaCli.stdout), viaCli.stdout);
  const missing = await promisify(execFile)(process.execPath, [cli, 'check', 'localhost:1', '--ca', join(dir, 'nope.pem')], { encoding: 'utf8' }).catch((e) => e);
  assert.equal(missing.code, 64);
  const { createProbeHandler } = await import('registry-probe/server');
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'], ca: self });
  const response = await handler(new Request('http://console.test/probe', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: `https://127.0.0.1:${ports.selfSigned}` }),
  }));
  assert.ok(!codes(await response.json()).some((c) => c.startsWith('tls-')));
});

test('distribution with TLS from a self-signed certificate: http:// to it is http-to-tls-port; https:// with ca works', async () => {
  const { startTlsRegistry } = await import('../rig/rig.mjs');
  const [port, stop] = await startTlsRegistry(join(dir, 'self.pem'), join(dir, 'self.key'));
  try {
    const plain = await probeRegistry({ url: `http://127.0.0.1:${port}` });
    assert.deepEqual(codes(plain), ['http-to-tls-port']);
    assert.equal(plain.findings[0].fix, `Use https://127.0.0.1:${port}.`);
    assert.deepEqual(codes(await probeRegistry({ url: `https://127.0.0.1:${port}` })), ['tls-untrusted']);
    const ca = readFileSync(join(dir, 'self.pem'), 'utf8');
    const trusted = await probeRegistry({ url: `https://127.0.0.1:${port}` }, { ca });
    assert.equal(trusted.permissions.reach, 'yes');
    assert.equal(trusted.apiVersion, 'v2');
    // No scheme typed: http is assumed on loopback, the TLS port says so, https is tried.
    const found = await probeRegistry({ url: `127.0.0.1:${port}` }, { ca });
    assert.deepEqual(codes(found).slice(0, 1), ['use-https']);
    assert.equal(found.findings[0].fix, `Use https://127.0.0.1:${port}/v2/.`);
    assert.equal(found.endpoint.url, `https://127.0.0.1:${port}/v2/`);
    assert.equal(found.permissions.reach, 'yes');
    assert.deepEqual(found.trace.map((t) => [t.method, t.url.split(':')[0]]).slice(0, 2), [['GET', 'http'], ['GET', 'https']]);
    // https untrusted too: the first answer is the one reported.
    assert.deepEqual(codes(await probeRegistry({ url: `127.0.0.1:${port}` })), ['http-to-tls-port']);
  } finally {
    stop();
  }
});

test('no scheme typed and https refused by a plain-http port: the server finds http (use-http); DNS through the injected lookup', async () => {
  const { createProbeHandler } = await import('registry-probe/server');
  const lookup = (host, options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]);
  const handler = createProbeHandler({ allowHosts: ['registry.test'], lookup });
  const post = (body) => handler(new Request('http://console/probe', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
  const report = await (await post({ url: `registry.test:${ports.plain}`, username: 'u', password: 'never-over-http' })).json();
  assert.deepEqual(codes(report).slice(0, 2), ['use-http', 'insecure-credentials']);
  assert.equal(report.findings[0].fix, `Use http://registry.test:${ports.plain}/v2/.`);
  assert.equal(report.permissions.reach, 'yes');
  assert.ok(!JSON.stringify(report).includes('never-over-http'));
  assert.ok(report.trace.every((t) => !t.requestHeaders.authorization), 'no credentials went over http');
  // Typed https: no guess.
  const typed = await (await post({ url: `https://registry.test:${ports.plain}` })).json();
  assert.deepEqual(codes(typed), ['tls-not-tls', 'tls-not-tls-public']);
});

test('each cause the same in Node, through the CLI (exit 2, the finding printed) and through the server', async () => {
  const { createProbeHandler } = await import('registry-probe/server');
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'] });
  const cli = new URL('../../pkg/cli.js', import.meta.url).pathname;
  const cases = [
    [`http://127.0.0.1:${ports.closed}`, 'connection-refused'],
    [`https://127.0.0.1:${ports.selfSigned}`, 'tls-untrusted'],
    [`https://127.0.0.1:${ports.plain}`, 'tls-not-tls'],
    [`http://127.0.0.1:${ports.selfSigned}`, 'connection-reset'],
  ];
  if (process.env.RIG_JSON) {
    const rig = JSON.parse(readFileSync(process.env.RIG_JSON, 'utf8'));
    cases.push([rig.registries.noCors.replace('http://', 'https://'), 'tls-not-tls']); // distribution, plain http
  }
  for (const [url, code] of cases) {
    assert.equal(codes(await probeRegistry({ url }))[0], code, `node ${url}`);
    const served = await handler(new Request('http://console.test/probe', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url }),
    }));
    assert.equal(codes(await served.json())[0], code, `server ${url}`);
    const error = await promisify(execFile)(process.execPath, [cli, 'check', url], { encoding: 'utf8' }).then(() => null, (e) => e);
    assert.equal(error?.code, 2, `cli ${url}`);
    assert.match(error.stdout, new RegExp(`error +${code}: `), `cli ${url}`);
  }
});
