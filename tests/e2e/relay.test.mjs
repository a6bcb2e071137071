// The browser's fallback to the console's server: the page's probe of a registry without CORS
// and of an htpasswd registry whose preflight gets 401 runs again on a relay
// (registry-probe/server on loopback, allowed to reach the rig) and gets a full verdict.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createProbeHandler, toNodeListener } from 'registry-probe/server';
import { launchChromium, openProbePage, useRig } from './browser.mjs';

let rig, stopRig, browser, page, errors, consoleText, relay, relayUrl;
const relayed = [];
before(async () => {
  [rig, stopRig] = await useRig();
  const listener = toNodeListener(createProbeHandler({ allowHosts: ['127.0.0.1'] }));
  // The relay is on another loopback port than the page: it answers CORS for the page.
  relay = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    if (req.method === 'OPTIONS') return res.writeHead(204).end();
    relayed.push(req.url);
    return listener(req, res);
  });
  await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayUrl = `http://127.0.0.1:${relay.address().port}/probe`;
  browser = await launchChromium();
  ({ page, errors, consoleText } = await openProbePage(browser, rig));
});
after(async () => {
  await browser?.close();
  relay?.close();
  await stopRig?.();
});
afterEach(() => assert.deepEqual(errors.splice(0), []));

const probe = (request, options) => page.evaluate(([r, o]) => window.runProbe(r, o), [request, options]);
const codes = (report) => report.findings.map((f) => f.code);

test('a registry without CORS: the relay gives the full verdict and says it ran there', { timeout: 60000 }, async () => {
  const { report, steps } = await probe({ url: rig.registries.noCors }, { relay: { url: relayUrl } });
  assert.equal(report.verdict, 'ok');
  assert.equal(report.ranFrom, 'relay');
  assert.equal(report.summary, 'Everything works from the console\'s server: the account can list images and tags and pull.');
  assert.equal(codes(report)[0], 'ran-on-server');
  assert.match(report.findings[0].message, /because the browser blocked it in this page \(cors-blocked\)/);
  assert.ok(steps.length > 6, 'the page\'s steps, then the relay\'s');
  // The relay replayed this page's CORS checks: the exact defect and the registry's config.
  const missing = report.findings.find((f) => f.code === 'cors-origin-missing');
  assert.equal(missing.message, `${rig.registries.noCors} sends no Access-Control-Allow-Origin header, so a page on ${rig.page} cannot read its answers.`);
  assert.equal(missing.snippet.server, 'distribution');
  assert.ok(missing.snippet.text.includes(`Access-Control-Allow-Origin: ['${rig.page}']`));
});

test('the preflight-401 registry: credentials go to the relay in the POST body only, and it works', { timeout: 60000 }, async () => {
  const password = 'basic-pass';
  const { report } = await probe({ url: rig.registries.basicDirect, username: 'basic-user', password }, { relay: { url: relayUrl } });
  assert.equal(report.verdict, 'ok');
  assert.equal(report.auth, 'basic');
  assert.deepEqual(codes(report), ['ran-on-server', 'cors-preflight-unauthorized']);
  assert.match(report.findings[0].message, /preflight-rejected/);
  assert.equal(report.findings[1].snippet.server, 'nginx');
  const text = JSON.stringify(report) + consoleText.join('\n');
  for (const secret of [password, Buffer.from(`basic-user:${password}`).toString('base64')]) assert.ok(!text.includes(secret));
});

test('via the fallback: a 30-second token registry behind a preflight 401 is named on the relay; a rate limit is read in the page', { timeout: 60000 }, async () => {
  const user = rig.users.tokenAdmin;
  const { report } = await probe({ url: rig.registries.tokenShort, ...user }, { relay: { url: relayUrl } });
  assert.equal(report.ranFrom, 'relay');
  assert.deepEqual(codes(report).filter((c) => c !== 'repository-not-found' && c !== 'no-repository').slice(0, 3),
    ['ran-on-server', 'token-short-lived', 'cors-preflight-unauthorized']);
  const text = JSON.stringify(report);
  assert.ok(!text.includes(user.password) && !/eyJ[\w-]+\.[\w-]+\./.test(text));
  // The hostile registry exposes Docker Hub's rate-limit headers: the page reads them itself.
  const { report: limited } = await probe({ url: `${rig.hostile}/rate-limit` }, { relay: { url: relayUrl } });
  assert.equal(limited.ranFrom, 'browser');
  assert.deepEqual(limited.rateLimit, { limit: 100, remaining: 3, windowSeconds: 21600, source: '192.0.2.10' });
  assert.deepEqual(codes(limited), ['rate-limit-low']);
});

test('an open registry with CORS never goes to the relay; mode always does; a bad relay URL throws', { timeout: 60000 }, async () => {
  const before = relayed.length;
  const { report } = await probe({ url: rig.registries.open }, { relay: { url: relayUrl } });
  assert.equal(report.ranFrom, 'browser');
  assert.equal(relayed.length, before);
  const always = await probe({ url: rig.registries.open }, { relay: { url: relayUrl, mode: 'always' } });
  assert.equal(always.report.ranFrom, 'relay');
  assert.equal(relayed.length, before + 1);
  const bad = await probe({ url: rig.registries.open }, { relay: { url: 'http://relay.example/probe' } });
  assert.match(bad.message, /relay.url must be on this page's origin or use https/);
});

test('in a page, the Node-only options are argument errors: proxy and ca throw, nothing is sent', { timeout: 30000 }, async () => {
  const before = relayed.length;
  const messages = await page.evaluate(async (url) => {
    const { probeRegistry } = await import('/pkg/index.js');
    const out = [];
    for (const options of [{ proxy: 'http://127.0.0.1:3128' }, { ca: '-----BEGIN CERTIFICATE-----' }]) {
      try {
        await probeRegistry({ url }, options);
        out.push('resolved');
      } catch (e) {
        out.push(e.message);
      }
    }
    return out;
  }, rig.registries.open);
  assert.match(messages[0], /invalid argument: proxy is for Node/);
  assert.match(messages[1], /invalid argument: ca is for Node/);
  assert.equal(relayed.length, before);
});
