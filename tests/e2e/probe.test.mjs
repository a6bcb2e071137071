// The diagnosis matrix of the probe: the release package in headless Chromium, a page on its
// own origin, against the real rig (issue 5). Then the same probe from Node, where no CORS applies.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import init, { probeRegistry } from 'registry-probe';
import { PAGE_MOUNTS, serveStatic } from '../rig/rig.mjs';
import { CHROMIUM_ARGS, launchChromium, openProbePage, useRig } from './browser.mjs';

let rig, stopRig, browser, page, errors, consoleText;
before(async () => {
  [rig, stopRig] = await useRig();
  browser = await launchChromium();
  ({ page, errors, consoleText } = await openProbePage(browser, rig));
  await init();
});
after(async () => {
  await browser?.close();
  await stopRig?.();
});
// Each test owns the page errors raised while it ran.
afterEach(() => assert.deepEqual(errors.splice(0), []));

const probe = (request, options) => page.evaluate(([r, o]) => window.runProbe(r, o), [request, options]);
const codes = (report) => report.findings.map((f) => f.code);
const step = (report, id) => report.steps.find((s) => s.id === id);
const PASSWORDS = ['basic-pass', 'admin-pass', 'puller-pass', 'wrong-pass'];
const USERS = { 'basic-pass': 'basic-user', 'wrong-pass': 'basic-user', 'admin-pass': 'admin', 'puller-pass': 'puller' };
/**
 * Every secret a report must never hold: each password, its URL-encoded form, the exact Basic
 * value of its user and the base64 alone, and the rig token server's tokens (JWTs, which all
 * begin with `eyJ`, the base64 of `{"`).
 */
const SECRETS = [
  ...PASSWORDS,
  ...PASSWORDS.map(encodeURIComponent),
  ...PASSWORDS.map((p) => Buffer.from(`${USERS[p]}:${p}`).toString('base64')),
  ...PASSWORDS.map((p) => `Basic ${Buffer.from(`${USERS[p]}:${p}`).toString('base64')}`),
  'eyJ',
];

/** Asserts no secret is in the report, the steps or the console. */
function assertNoSecrets(result) {
  const text = JSON.stringify(result) + consoleText.join('\n');
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked`);
}

test('1. open registry with CORS: ok, catalog complete across pages, tags, pull', { timeout: 30000 }, async () => {
  const { report, steps } = await probe({ url: `${rig.registries.open}/v2/` });
  assert.equal(report.verdict, 'ok');
  assert.deepEqual(report.permissions, { reach: 'yes', listImages: 'yes', listTags: 'yes', pull: 'yes' });
  assert.equal(report.auth, 'none');
  assert.equal(report.apiVersion, 'v2');
  assert.deepEqual(report.catalog.repositories, rig.repositories);
  assert.equal(report.catalog.complete, true);
  assert.equal(report.catalog.pages, 2);
  assert.equal(report.tags.repository, 'bigtags/many');
  assert.equal(report.tags.tags.length, 130);
  assert.deepEqual(codes(report), []);
  assert.equal(report.requests, 5, 'ping, two catalog pages, tags, pull');
  assert.deepEqual(report.steps.map((s) => s.id), ['ping', 'auth', 'token', 'catalog', 'tags', 'pull']);
  assert.ok(steps.some((s) => s.id === 'ping' && s.status === 'running'), 'progress reports running steps');
  assert.ok(step(report, 'ping').durationMs >= 0);
});

test('2. no CORS headers: reachable but blocks cross-origin requests, with the headers to add', { timeout: 30000 }, async () => {
  const { report } = await probe({ url: rig.registries.noCors });
  assert.equal(report.verdict, 'failed');
  assert.deepEqual(codes(report), ['cors-blocked']);
  const finding = report.findings[0];
  assert.match(finding.message, /reachable but blocks cross-origin requests/);
  assert.match(finding.fix, /Access-Control-Allow-Origin/);
  assert.match(finding.fix, /Access-Control-Expose-Headers/);
  assert.equal(report.permissions.reach, 'yes');
  assert.equal(report.requests, 2, 'the CORS request and one no-cors request');
});

test('3. Allow-Origin without Expose-Headers: hidden headers named, pagination still completes', { timeout: 30000 }, async () => {
  const { report } = await probe({ url: rig.registries.originOnly });
  assert.equal(report.verdict, 'ok');
  assert.deepEqual(report.catalog.repositories, rig.repositories);
  assert.equal(report.catalog.complete, true);
  const hidden = report.findings.find((f) => f.code === 'cors-headers-hidden');
  assert.ok(hidden, JSON.stringify(report.findings));
  assert.match(hidden.message, /Docker-Distribution-Api-Version/);
  assert.match(hidden.message, /Link/);
});

test('4. htpasswd registry without a front: the preflight-401 problem, with the fix', { timeout: 30000 }, async () => {
  const result = await probe({ url: rig.registries.basicDirect, username: 'basic-user', password: 'basic-pass' });
  const { report } = result;
  assert.equal(report.verdict, 'failed');
  assert.equal(report.auth, 'basic');
  assert.deepEqual(codes(report), ['preflight-rejected']);
  assert.match(report.findings[0].fix, /answers OPTIONS/);
  assertNoSecrets(result);
});

test('5. the same registry behind the nginx front: ok', { timeout: 30000 }, async () => {
  const result = await probe({ url: rig.registries.basic, username: 'basic-user', password: 'basic-pass' });
  assert.equal(result.report.verdict, 'ok');
  assert.equal(result.report.auth, 'basic');
  assert.equal(step(result.report, 'auth').status, 'ok');
  assertNoSecrets(result);
});

test('6. wrong password: credentials rejected', { timeout: 30000 }, async () => {
  const result = await probe({ url: rig.registries.basic, username: 'basic-user', password: 'wrong-pass' });
  assert.equal(result.report.verdict, 'failed');
  assert.deepEqual(codes(result.report), ['credentials-rejected']);
  assertNoSecrets(result);
});

test('7. token auth behind CORS: ok, auth bearer', { timeout: 30000 }, async () => {
  const result = await probe({ url: rig.registries.token, username: 'admin', password: 'admin-pass' });
  assert.equal(result.report.verdict, 'ok');
  assert.equal(result.report.auth, 'bearer');
  assert.equal(step(result.report, 'token').status, 'ok');
  assert.equal(result.report.catalog.repositories.length, rig.repositories.length);
  assertNoSecrets(result);
});

test('8. token server without CORS: the token endpoint is named as the blocker', { timeout: 30000 }, async () => {
  const result = await probe({ url: rig.registries.tokenNoCors, username: 'admin', password: 'admin-pass' });
  assert.equal(result.report.verdict, 'failed');
  assert.deepEqual(codes(result.report), ['token-cors-blocked']);
  assert.ok(result.report.findings[0].message.includes(new URL(rig.tokenServer.noCors).origin));
  assertNoSecrets(result);
});

test('9. may pull but not list the catalog: partial with the permission advice', { timeout: 30000 }, async () => {
  const result = await probe({ url: rig.registries.token, username: 'puller', password: 'puller-pass', repository: 'team/app/api' });
  const { report } = result;
  assert.equal(report.verdict, 'partial');
  assert.deepEqual(report.permissions, { reach: 'yes', listImages: 'no', listTags: 'yes', pull: 'yes' });
  const denied = report.findings.find((f) => f.code === 'catalog-denied');
  assert.match(denied.fix, /list images and tags, and pull images/);
  assertNoSecrets(result);
});

test('10. closed port: unreachable', { timeout: 30000 }, async () => {
  const { report } = await probe({ url: rig.closed });
  assert.equal(report.verdict, 'failed');
  assert.deepEqual(codes(report), ['unreachable']);
  assert.equal(report.permissions.reach, 'no');
});

test('11. a server that never answers: timeout after timeoutMs', { timeout: 30000 }, async () => {
  const { report, ms } = await probe({ url: rig.hang, timeoutMs: 500 });
  assert.deepEqual(codes(report), ['timeout']);
  assert.ok(ms >= 450 && ms < 5000, `took ${ms} ms`);
});

test('cancel: the probe rejects with AbortError promptly', { timeout: 30000 }, async () => {
  const result = await probe({ url: rig.hang, timeoutMs: 20000 }, { abortAfterMs: 200 });
  assert.equal(result.error, 'AbortError');
  assert.ok(result.ms < 2000, `took ${result.ms} ms`);
});

test('12. an https page probing an http registry that is not loopback: mixed content, no request', { timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rp-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const tls = { key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) };
  const server = await serveStatic(0, PAGE_MOUNTS, {}, tls);
  const tlsBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'] });
  try {
    const tlsPage = await tlsBrowser.newPage();
    await tlsPage.goto(`https://127.0.0.1:${server.address().port}/tests/pages/probe.html`);
    await tlsPage.waitForSelector('body[data-ready]', { state: 'attached' });
    const { report } = await tlsPage.evaluate(() => window.runProbe({ url: 'http://registry.example.test:5000/v2/' }));
    assert.equal(report.verdict, 'failed');
    assert.deepEqual(codes(report), ['mixed-content']);
    assert.equal(report.requests, 0);
  } finally {
    await tlsBrowser.close();
    server.close();
  }
});

test('from Node (no CORS): cases 1, 5, 6, 7 and 9', { timeout: 60000 }, async () => {
  const open = await probeRegistry({ url: rig.registries.open });
  assert.equal(open.verdict, 'ok');
  assert.equal(open.catalog.repositories.length, rig.repositories.length);
  const front = await probeRegistry({ url: rig.registries.basic, username: 'basic-user', password: 'basic-pass' });
  assert.equal(front.verdict, 'ok');
  const wrong = await probeRegistry({ url: rig.registries.basic, username: 'basic-user', password: 'wrong-pass' });
  assert.deepEqual(codes(wrong), ['credentials-rejected']);
  const token = await probeRegistry({ url: rig.registries.token, username: 'admin', password: 'admin-pass' });
  assert.equal(token.verdict, 'ok');
  assert.equal(token.auth, 'bearer');
  const puller = await probeRegistry({ url: rig.registries.token, username: 'puller', password: 'puller-pass', repository: 'team/app/api' });
  assert.equal(puller.verdict, 'partial');
  assert.deepEqual(puller.permissions, { reach: 'yes', listImages: 'no', listTags: 'yes', pull: 'yes' });
  // Without CORS, the htpasswd registry needs no front from Node.
  const direct = await probeRegistry({ url: rig.registries.basicDirect, username: 'basic-user', password: 'basic-pass' });
  assert.equal(direct.verdict, 'ok');
  for (const report of [front, wrong, token, puller, direct]) {
    const text = JSON.stringify(report);
    for (const secret of SECRETS) assert.ok(!text.includes(secret));
  }
});

test('the verdict on the real token registry: anonymous gets nothing, a token scoped elsewhere cannot pull', { timeout: 60000 }, async () => {
  // Anonymous users may pull public/* only: asked about team/app/api, they get nothing.
  const anonymous = await probeRegistry({ url: rig.registries.token, repository: 'team/app/api' });
  assert.equal(anonymous.verdict, 'failed');
  assert.deepEqual(codes(anonymous), ['auth-required']);
  assert.equal(anonymous.findings[0].message, '127.0.0.1 requires a username and password: anonymous users get no access.');
  // puller may pull team/* and public/*, not library/alpine.
  const scoped = await probeRegistry({ url: rig.registries.token, username: 'puller', password: 'puller-pass', repository: 'library/alpine' });
  assert.equal(scoped.verdict, 'failed');
  // The token's access claim tells, at each token, what was not granted.
  assert.deepEqual(codes(scoped), ['token-scope-partial', 'catalog-denied', 'token-scope-partial', 'tags-denied', 'pull-denied']);
  assert.match(scoped.findings[2].message, /granted puller less than asked: repository:library\/alpine:pull was not granted\.$/);
  assert.equal(scoped.findings[4].message, 'puller cannot pull library/alpine:latest.');
  // Anonymous users may pull public/hello: only the catalog is denied, which is optional.
  const open = await probeRegistry({ url: rig.registries.token, repository: 'public/hello' });
  assert.equal(open.verdict, 'partial');
  assert.deepEqual(codes(open), ['token-scope-partial', 'catalog-denied']);
  assert.equal(open.findings[1].message, 'Anonymous users cannot list images (the registry denied the catalog).');
  assert.ok(!JSON.stringify(scoped).includes('puller-pass'));
});

test('images as docker buildx pushes them (an OCI index with an attestation manifest) and a Docker manifest list pass the pull check: in Chromium, from Node and through the server', { timeout: 60000 }, async () => {
  const { MULTI_PLATFORM } = await import('../rig/populate.mjs');
  const { createProbeHandler } = await import('registry-probe/server');
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'] });
  const inPage = (repository) => probe({ url: rig.registries.open, repository }).then((x) => x.report);
  const inNode = (repository) => probeRegistry({ url: rig.registries.open, repository });
  const viaServer = async (repository) => (await handler(new Request('http://console.test/probe', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: rig.registries.open, repository }),
  }))).json();
  // Chromium is on another origin: each Accept stays within the CORS-safelisted 128 bytes, so an
  // index takes two HEADs (image manifests, then indexes); Node and the server ask once.
  for (const [where, run, heads] of [['Chromium', inPage, 2], ['Node', inNode, 1], ['the server', viaServer, 1]]) {
    const report = await run(MULTI_PLATFORM.index);
    const manifests = report.trace.filter((t) => t.url.includes('/manifests/latest'));
    assert.equal(report.verdict, 'ok', `${where}: ${codes(report)}`);
    assert.equal(step(report, 'pull').summary, `${MULTI_PLATFORM.index}:latest can be pulled: it is a multi-platform image.`, where);
    assert.equal(manifests.length, heads, `${where}: ${manifests.map((t) => t.requestHeaders.accept).join(' | ')}`);
    assert.ok(manifests.every((t) => t.method === 'HEAD' && t.requestHeaders.accept.length <= (heads === 2 ? 128 : 1000)), where);
    // A Docker manifest list can be pulled too (distribution rewrites it to the amd64 image for
    // an Accept without the list type, and gives the list itself with it).
    const list = await run(MULTI_PLATFORM.list);
    assert.equal(list.verdict, 'ok', `${where}: ${codes(list)}`);
    assert.equal(step(list, 'pull').status, 'ok', where);
  }
});
