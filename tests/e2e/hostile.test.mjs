// Hardening against servers nobody controls (issue 8): the hostile registry's scenarios, secret
// hygiene over every probe path, and overlapping probes with random cancellation — in Chromium.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, openProbePage, useRig } from './browser.mjs';
import { SENTINEL_TOKEN } from '../rig/hostile.mjs';

const PASSWORD = 'PASSWORD-SENTINEL-42';
let rig, stopRig, browser, page, errors, consoleText;
before(async () => {
  [rig, stopRig] = await useRig();
  browser = await launchChromium();
  ({ page, errors, consoleText } = await openProbePage(browser, rig));
});
after(async () => {
  await browser?.close();
  await stopRig?.();
});
// Each test owns the page errors raised while it ran.
afterEach(() => assert.deepEqual(errors.splice(0), []));

const probe = (request, options) => page.evaluate(([r, o]) => window.runProbe(r, o), [request, options]);
const serverLog = async (origin) => (await fetch(`${origin}/__log`)).json();
const codes = (report) => report.findings.map((f) => f.code);

function assertNothingLeaks(result) {
  const text = JSON.stringify(result) + consoleText.join('\n');
  for (const secret of [PASSWORD, Buffer.from(`u:${PASSWORD}`).toString('base64'), SENTINEL_TOKEN]) {
    assert.ok(!text.includes(secret), `${secret} leaked`);
  }
}

const CASES = [
  ['huge-catalog', 'a 100 MB catalog body is cut at 4 MiB', 'catalog-invalid'],
  ['link-loop', 'a Link chain that loops', 'catalog-link-ignored'],
  ['link-foreign', 'a Link to another origin', 'catalog-link-ignored'],
  ['token-huge', 'a huge token response', 'token-invalid'],
  ['token-html', 'a token response that is not JSON', 'token-invalid'],
  ['token-missing', 'a token response without a token', 'token-invalid'],
  ['no-realm', 'a challenge without a realm', 'challenge-invalid'],
  ['http-realm', 'an http realm on another host', 'token-realm-insecure'],
  ['many-challenges', '1,000 challenges in one header', 'challenge-unsupported'],
  ['redirect', 'a 302 to another origin after credentials', 'redirect-refused'],
  ['slow-body', 'headers, then a body that stalls', 'timeout'],
  ['bad-utf8', 'invalid UTF-8 in JSON', 'catalog-invalid'],
  ['stack-trace', 'status 500 with a stack trace', 'server-error'],
];

for (const [scenario, what, code] of CASES) {
  test(`hostile: ${what} → ${code}, bounded, nothing leaks`, { timeout: 30000 }, async () => {
    const before = (await serverLog(rig.hostileOther)).length;
    const result = await probe({ url: `${rig.hostile}/${scenario}`, username: 'u', password: PASSWORD, timeoutMs: 1500 });
    assert.ok(result.report, `the probe settled: ${JSON.stringify(result)}`);
    assert.ok(codes(result.report).includes(code), `${codes(result.report)}`);
    assert.ok(result.ms < 10000, `took ${result.ms} ms`);
    assertNothingLeaks(result);
    // Nothing with credentials reached the other origin (redirect target, foreign Link).
    const reached = (await serverLog(rig.hostileOther)).slice(before);
    assert.deepEqual(reached.filter((r) => r.authorization), []);
    if (scenario === 'stack-trace') assert.ok(!JSON.stringify(result).includes('/var/lib') && !JSON.stringify(result).includes('goroutine'));
  });
}

test('hostile: a working token is used but never shown; credentials only to the registry and its realm', { timeout: 30000 }, async () => {
  const before = (await serverLog(rig.hostile)).length;
  const result = await probe({ url: `${rig.hostile}/token-ok`, username: 'u', password: PASSWORD });
  assert.equal(result.report.verdict, 'ok', JSON.stringify(result.report.findings));
  assertNothingLeaks(result);
  const log = (await serverLog(rig.hostile)).slice(before);
  const basic = log.filter((r) => r.authorization?.startsWith('Basic '));
  assert.ok(basic.length > 0 && basic.every((r) => r.path === '/token-ok/token'), JSON.stringify(basic));
  assert.ok(log.filter((r) => r.authorization === `Bearer ${SENTINEL_TOKEN}`).length >= 3);
});

test('hostile: a realm on another host gets the credentials (it is the named realm) and nothing else does', { timeout: 30000 }, async () => {
  const otherBefore = (await serverLog(rig.hostileOther)).length;
  const selfBefore = (await serverLog(rig.hostile)).length;
  const result = await probe({ url: `${rig.hostile}/other-realm`, username: 'u', password: PASSWORD, timeoutMs: 1500 });
  assert.ok(codes(result.report).includes('token-invalid'), `${codes(result.report)}`);
  const other = (await serverLog(rig.hostileOther)).slice(otherBefore);
  assert.deepEqual(other.filter((r) => r.authorization).map((r) => r.path), ['/token']);
  const self = (await serverLog(rig.hostile)).slice(selfBefore);
  assert.deepEqual(self.filter((r) => r.authorization), [], 'the registry itself never got the password');
  assertNothingLeaks(result);
});

test('secret hygiene: every rig probe path with a recognisable password', { timeout: 120000 }, async () => {
  const urls = [...Object.values(rig.registries), rig.closed, `${rig.hostile}/markup`];
  for (const url of urls) {
    const result = await probe({ url, username: 'u', password: PASSWORD, repository: 'team/app/api', timeoutMs: 1500 });
    assert.ok(result.report, url);
    assertNothingLeaks(result);
  }
  assert.ok(!(await page.content()).includes(PASSWORD));
});

test('races: overlapping probes with random cancellation all settle, nothing left in flight', { timeout: 120000 }, async () => {
  const inflight = new Set();
  page.on('request', (r) => inflight.add(r));
  page.on('requestfinished', (r) => inflight.delete(r));
  page.on('requestfailed', (r) => inflight.delete(r));
  const outcome = await page.evaluate(async (rig) => {
    const targets = [rig.registries.open, rig.registries.token, rig.hang, rig.registries.basic, rig.registries.noCors];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const runs = Array.from({ length: 40 }, (_, i) => {
      const cancel = random() < 0.5 ? Math.floor(random() * 150) : undefined;
      return window.runProbe({ url: targets[i % targets.length], username: 'admin', password: 'admin-pass', timeoutMs: 3000 }, { abortAfterMs: cancel })
        .then((r) => (r.error ? r.error : r.report.verdict));
    });
    return Promise.all(runs);
  }, rig);
  assert.equal(outcome.length, 40);
  assert.ok(outcome.every((o) => ['AbortError', 'ok', 'partial', 'failed'].includes(o)), outcome.join());
  assert.ok(outcome.includes('AbortError') && outcome.includes('ok'));
  await page.waitForTimeout(200);
  assert.equal(inflight.size, 0, [...inflight].map((r) => r.url()).join());
});
