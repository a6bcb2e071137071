// Diagnosis on the rig's real servers, from Node and through the server-side probe: each CORS
// misconfiguration named for a page's origin with the snippet for its server, and each snippet
// applied to a real distribution or nginx that then has no defect left; short-lived tokens and
// partial scopes from the token server; rate limits from the hostile server; the trace and
// curl commands, in the API and the CLI, with no secret in either.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import init, { probeRegistry } from 'registry-probe';
import { createProbeHandler } from 'registry-probe/server';
import { RIG_STORAGE, freePort } from '../rig/rig.mjs';
import { nginxServer, registryConfigWithSnippet, startDistribution, startNginx } from '../rig/servers.mjs';

const skip = !process.env.RIG_JSON;
const rig = skip ? null : JSON.parse(readFileSync(process.env.RIG_JSON, 'utf8'));
const PAGE = 'https://console.example';
const codes = (report) => report.findings.map((f) => f.code);
const corsCodes = (report) => codes(report).filter((c) => c.startsWith('cors-'));
const stops = [];
after(() => { for (const stop of stops) stop(); });
await init();

/** Every secret of a probe as user:password: the password, its Basic value, any JWT. */
function assertNoSecret(text, { username, password } = {}) {
  if (password) {
    assert.ok(!text.includes(password), 'the password leaked');
    assert.ok(!text.includes(Buffer.from(`${username}:${password}`).toString('base64')), 'the Basic value leaked');
  }
  assert.ok(!/eyJ[\w-]+\.[\w-]+\.[\w-]+/.test(text), 'a token leaked');
}

/** An nginx front from the probe's snippet, its proxy_pass pointed at `upstream`. */
async function nginxFrom(snippet, upstream) {
  assert.equal(snippet.server, 'nginx');
  assert.match(snippet.text, /proxy_pass http:\/\/registry:5000;/);
  const port = await freePort();
  const text = snippet.text.replace('http://registry:5000', upstream);
  stops.push(await startNginx([nginxServer(port, text)], [`http://127.0.0.1:${port}/v2/`]));
  return `http://127.0.0.1:${port}`;
}

/** A distribution registry whose config.yml holds the probe's snippet as it is. */
async function distributionFrom(snippet, auth) {
  assert.equal(snippet.server, 'distribution');
  const port = await freePort();
  const [url, stop] = await startDistribution(registryConfigWithSnippet({ port, storage: RIG_STORAGE, snippet: snippet.text, auth }), port);
  stops.push(stop);
  return url;
}

const CASES = [
  ['noCors', 'cors-origin-missing', 'distribution'],
  ['otherOrigin', 'cors-origin-mismatch', 'distribution'],
  ['originOnly', 'cors-expose-missing', 'distribution'],
  ['doubleOrigin', 'cors-origin-duplicated', 'nginx'],
  ['basicDirect', 'cors-preflight-unauthorized', 'nginx'],
  ['options405', 'cors-preflight-unsupported', 'nginx'],
  ['wildcardHeaders', 'cors-headers-not-allowed', 'nginx'],
  ['noAuthHeader', 'cors-headers-not-allowed', 'nginx'],
];

test('each CORS misconfiguration of the rig is named for the page origin, with the snippet for its server', { skip }, async () => {
  for (const [name, code, server] of CASES) {
    const user = ['basicDirect', 'options405', 'wildcardHeaders', 'noAuthHeader'].includes(name) ? rig.users.basic : {};
    const report = await probeRegistry({ url: rig.registries[name], ...user }, { origin: PAGE });
    assert.deepEqual(corsCodes(report), [code], name);
    const finding = report.findings.find((f) => f.code === code);
    assert.equal(finding.snippet.server, server, name);
    assert.ok(finding.snippet.text.includes(PAGE), name);
    assert.equal(report.verdict, 'ok', `${name}: Node itself is not blocked`);
    assertNoSecret(JSON.stringify(report), user);
  }
  // The working fronts and registries have nothing to name; without an origin nothing is replayed.
  assert.deepEqual(corsCodes(await probeRegistry({ url: rig.registries.basic, ...rig.users.basic }, { origin: PAGE })), []);
  assert.deepEqual(corsCodes(await probeRegistry({ url: rig.registries.open }, { origin: PAGE })), []);
  assert.deepEqual(corsCodes(await probeRegistry({ url: rig.registries.noCors })), []);
});

test('the distribution snippet, pasted into a real config.yml, leaves no CORS defect', { skip, timeout: 60000 }, async () => {
  for (const name of ['noCors', 'otherOrigin', 'originOnly']) {
    const report = await probeRegistry({ url: rig.registries[name] }, { origin: PAGE });
    const fixed = await distributionFrom(report.findings.find((f) => f.snippet).snippet);
    const again = await probeRegistry({ url: fixed }, { origin: PAGE });
    assert.deepEqual(corsCodes(again), [], name);
    assert.equal(again.verdict, 'ok');
  }
});

test('the nginx snippet, in front of the registry, answers preflights and sends Allow-Origin once', { skip, timeout: 60000 }, async () => {
  // upstream: where the snippet's proxy_pass must point for each broken setup.
  const upstreams = { basicDirect: rig.registries.basicDirect, options405: rig.registries.basicDirect,
    wildcardHeaders: rig.registries.basicDirect, noAuthHeader: rig.registries.basicDirect, doubleOrigin: rig.registries.open };
  for (const [name, upstream] of Object.entries(upstreams)) {
    const user = name === 'doubleOrigin' ? {} : rig.users.basic;
    const report = await probeRegistry({ url: rig.registries[name], ...user }, { origin: PAGE });
    const fixed = await nginxFrom(report.findings.find((f) => f.snippet).snippet, upstream);
    const again = await probeRegistry({ url: fixed, ...user }, { origin: PAGE });
    assert.deepEqual(corsCodes(again), [], name);
    assert.equal(again.verdict, 'ok', name);
  }
});

test('a token service without CORS is named with its own nginx location', { skip }, async () => {
  const report = await probeRegistry({ url: rig.registries.tokenNoCors, ...rig.users.tokenAdmin }, { origin: PAGE });
  const finding = report.findings.find((f) => f.code === 'cors-origin-missing');
  assert.equal(finding.message, `${new URL(rig.tokenServer.noCors).origin} sends no Access-Control-Allow-Origin header, so a page on ${PAGE} cannot read its answers.`);
  assert.match(finding.snippet.text, /location \/token \{/);
});

test('through the server: the origin in the body is replayed; a bad origin is a 400 naming the field', { skip }, async () => {
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'] });
  const post = (body) => handler(new Request('http://console/probe', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
  const report = await (await post({ url: rig.registries.basicDirect, ...rig.users.basic, origin: PAGE })).json();
  assert.deepEqual(corsCodes(report), ['cors-preflight-unauthorized']);
  assertNoSecret(JSON.stringify(report), rig.users.basic);
  const bad = await post({ url: rig.registries.open, origin: 'not an origin' });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /origin must be a page origin/);
});

test('token details from the real token server: short-lived tokens, and scopes granted in part', { skip }, async () => {
  const short = await probeRegistry({ url: rig.registries.tokenShort, ...rig.users.tokenAdmin });
  assert.equal(codes(short)[0], 'token-short-lived');
  assert.match(short.findings[0].message, /expire after 30 seconds/);
  const normal = await probeRegistry({ url: rig.registries.tokenDirect, ...rig.users.tokenAdmin });
  assert.ok(!codes(normal).includes('token-short-lived'));
  // puller may pull team/* but not list the catalog: the token's access claim says so.
  const puller = await probeRegistry({ url: rig.registries.tokenDirect, ...rig.users.tokenPuller, repository: 'team/app' });
  assert.deepEqual(codes(puller).slice(0, 2), ['token-scope-partial', 'catalog-denied']);
  assert.match(puller.findings[0].message, /granted puller less than asked: registry:catalog:\* was not granted/);
  assertNoSecret(JSON.stringify(puller), rig.users.tokenPuller);
});

test('rate limits from the manifest HEAD (the hostile server refuses a manifest GET)', { skip }, async () => {
  const low = await probeRegistry({ url: `${rig.hostile}/rate-limit` });
  assert.deepEqual(low.rateLimit, { limit: 100, remaining: 3, windowSeconds: 21600, source: '192.0.2.10' });
  assert.deepEqual(codes(low), ['rate-limit-low']);
  assert.equal(low.verdict, 'ok');
  assert.deepEqual(low.trace.filter((t) => t.url.includes('/manifests/')).map((t) => t.method), ['HEAD']);
  const spent = await probeRegistry({ url: `${rig.hostile}/rate-limited` });
  assert.deepEqual(codes(spent), ['rate-limited']);
  assert.match(spent.findings[0].fix, /Retry-After: 3600/);
  assert.equal(spent.rateLimit.remaining, 0);
});

test('the trace and curl commands of a token probe: every request, placeholders, no secret', { skip }, async () => {
  const user = rig.users.tokenAdmin;
  const report = await probeRegistry({ url: rig.registries.tokenDirect, ...user });
  assert.equal(report.trace.filter((t) => !t.noCors).length, report.requests);
  assert.deepEqual(report.trace.slice(0, 3).map((t) => [t.step, t.method, t.status]), [['ping', 'GET', 401], ['token', 'GET', 200], ['auth', 'GET', 200]]);
  assert.match(report.trace[0].headers['www-authenticate'], /^Bearer realm=/);
  assert.equal(report.trace[1].requestHeaders.authorization, 'Basic');
  assert.equal(report.trace[2].requestHeaders.authorization, 'Bearer');
  assert.match(report.curl[1], /^TOKEN=\$\(curl -sS -u "\$REGISTRY_USERNAME:\$REGISTRY_PASSWORD" '.*' \| jq -r '.token \/\/ .access_token'\)$/);
  assert.ok(report.curl.slice(2).every((c) => c.includes('"Authorization: Bearer $TOKEN"') || c.startsWith('TOKEN=')));
  assertNoSecret(JSON.stringify(report), user);
});

test('the CLI prints the trace and curl commands with --trace, and the snippet with --origin; no secret', { skip }, async () => {
  const cli = new URL('../../pkg/cli.js', import.meta.url).pathname;
  const user = rig.users.basic;
  const run = (args) => promisify(execFile)('node', [cli, ...args], { env: { ...process.env, REGISTRY_PROBE_PASSWORD: user.password } })
    .catch((error) => error);
  const out = await run(['check', rig.registries.basicDirect, '--username', user.username, '--origin', PAGE, '--trace']);
  assert.equal(out.code ?? 0, 0);
  assert.match(out.stdout, /cors-preflight-unauthorized/);
  assert.match(out.stdout, /\| location \/v2\/ \{/);
  assert.match(out.stdout, /\ntrace\n {2}GET {5}http:\/\/127\.0\.0\.1:\d+\/v2\/ -> 401/);
  assert.match(out.stdout, /OPTIONS http:\/\/127\.0\.0\.1:\d+\/v2\/ -> 401/);
  assert.match(out.stdout, /\ncurl\n {2}curl -sS -i -H 'Origin: https:\/\/console.example'/);
  assert.match(out.stdout, /-u "\$REGISTRY_USERNAME:\$REGISTRY_PASSWORD"/);
  assertNoSecret(out.stdout + out.stderr, user);
  const bad = await run(['check', rig.registries.open, '--origin', 'ftp:nope']);
  assert.equal(bad.code, 64);
  assert.match(bad.stderr, /--origin must be a page origin/);
});

test('the same diagnosis through the server: token lifetime and scopes, rate limits, the trace', { skip }, async () => {
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'] });
  const post = async (body) => (await handler(new Request('http://console/probe', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  }))).json();
  const short = await post({ url: rig.registries.tokenShort, ...rig.users.tokenAdmin });
  assert.equal(codes(short)[0], 'token-short-lived');
  const puller = await post({ url: rig.registries.tokenDirect, ...rig.users.tokenPuller, repository: 'team/app' });
  assert.equal(codes(puller)[0], 'token-scope-partial');
  const limited = await post({ url: `${rig.hostile}/rate-limit` });
  assert.equal(limited.rateLimit.remaining, 3);
  assert.deepEqual(codes(limited), ['rate-limit-low']);
  for (const [report, user] of [[short, rig.users.tokenAdmin], [puller, rig.users.tokenPuller]]) {
    assert.equal(report.trace.length, report.curl.length);
    assertNoSecret(JSON.stringify(report), user);
  }
});

test('an opaque token refused with insufficient_scope is named as such (hostile server)', { skip }, async () => {
  const report = await probeRegistry({ url: `${rig.hostile}/insufficient-scope`, username: 'ci', password: 'ci-pass', repository: 'team/app' });
  assert.deepEqual(codes(report), ['catalog-denied', 'token-insufficient-scope', 'pull-denied', 'token-insufficient-scope']);
  assert.equal(report.findings[1].message, 'The registry refused the token for registry:catalog:* (insufficient_scope): ci lacks that access.');
  assert.equal(report.findings[3].message, 'The registry refused the token for repository:team/app:pull (insufficient_scope): ci lacks that access.');
  assert.equal(report.verdict, 'failed');
  const text = JSON.stringify(report);
  assert.ok(!text.includes('opaque-') && !text.includes('ci-pass'));
});

test('report.curl, run by bash with the variables set, gets the same answers as the probe did', { skip }, async () => {
  const { execFileSync } = await import('node:child_process');
  for (const [url, user] of [[rig.registries.tokenDirect, rig.users.tokenAdmin], [rig.registries.basic, rig.users.basic]]) {
    const report = await probeRegistry({ url, ...user });
    assert.equal(report.curl.length, report.trace.length);
    // Each command but a token request prints its status line after a marker.
    const script = report.curl.map((command, i) => (command.startsWith('TOKEN=') ? command : `echo "@@${i}"; ${command} | head -1`)).join('\n');
    const out = execFileSync('bash', ['-c', script], {
      encoding: 'utf8', env: { ...process.env, REGISTRY_USERNAME: user.username, REGISTRY_PASSWORD: user.password },
    });
    const statuses = [...out.matchAll(/@@(\d+)\nHTTP\/[\d.]+ (\d{3})/g)].map(([, i, status]) => [Number(i), Number(status)]);
    const expected = report.trace.map((t, i) => [i, t.status]).filter(([i]) => !report.curl[i].startsWith('TOKEN='));
    assert.deepEqual(statuses, expected, url);
    assert.ok(expected.some(([, status]) => status === 200) && report.verdict !== 'failed');
  }
});
