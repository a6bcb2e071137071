// Proves the rig from a page in headless Chromium on its own origin, so CORS really applies.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, openPage, useRig } from './browser.mjs';

let rig, stopRig, browser, page, errors;
before(async () => {
  [rig, stopRig] = await useRig();
  browser = await launchChromium();
  // CORS failures are logged to the console by design here; only uncaught errors count.
  ({ page, errors } = await openPage(browser, `${rig.page}/tests/pages/blank.html`, { consoleErrors: false }));
});
after(async () => {
  await browser?.close();
  await stopRig?.();
});
// Each test owns the page errors raised while it ran.
afterEach(() => assert.deepEqual(errors.splice(0), []));

/** Runs `fn(rig)` in the page; returns what it returns or the error's name. */
const inPage = (fn) => page.evaluate(`(${fn})(${JSON.stringify(rig)})`);

test('the page and every registry are different origins', { timeout: 10000 }, () => {
  const origins = [rig.page, ...Object.values(rig.registries), rig.hang, rig.closed].map((u) => new URL(u).origin);
  assert.equal(new Set(origins).size, origins.length);
});

test('A (open, CORS) exposes Docker-Distribution-Api-Version and pages the catalog', { timeout: 20000 }, async () => {
  const r = await inPage(async (rig) => {
    const ping = await fetch(`${rig.registries.open}/v2/`);
    const page = await fetch(`${rig.registries.open}/v2/_catalog?n=50`);
    return { status: ping.status, version: ping.headers.get('Docker-Distribution-Api-Version'),
      link: page.headers.get('Link'), count: (await page.json()).repositories.length };
  });
  assert.deepEqual(r, { status: 200, version: 'registry/2.0', count: 50,
    link: '</v2/_catalog?last=filler%2Frepo-048&n=50>; rel="next"' });
});

test('D (no CORS) fails with a TypeError, while no-cors resolves opaque', { timeout: 20000 }, async () => {
  const r = await inPage(async (rig) => {
    let cors;
    try { await fetch(`${rig.registries.noCors}/v2/`); cors = 'resolved'; } catch (e) { cors = e.name; }
    const opaque = await fetch(`${rig.registries.noCors}/v2/`, { mode: 'no-cors' });
    return { cors, type: opaque.type, status: opaque.status };
  });
  assert.deepEqual(r, { cors: 'TypeError', type: 'opaque', status: 0 });
});

test('Allow-Origin only: status readable, Link and Api-Version hidden', { timeout: 20000 }, async () => {
  const r = await inPage(async (rig) => {
    const res = await fetch(`${rig.registries.originOnly}/v2/_catalog?n=10`);
    return { status: res.status, link: res.headers.get('Link'), version: res.headers.get('Docker-Distribution-Api-Version'),
      count: (await res.json()).repositories.length };
  });
  assert.deepEqual(r, { status: 200, link: null, version: null, count: 10 });
});

test('B (htpasswd behind the front): 401 with a readable challenge, catalog with credentials', { timeout: 20000 }, async () => {
  const r = await inPage(async (rig) => {
    const ping = await fetch(`${rig.registries.basic}/v2/`);
    const { username, password } = rig.users.basic;
    const auth = { Authorization: `Basic ${btoa(`${username}:${password}`)}` };
    const catalog = await fetch(`${rig.registries.basic}/v2/_catalog?n=5`, { headers: auth });
    const wrong = await fetch(`${rig.registries.basic}/v2/`, { headers: { Authorization: `Basic ${btoa('basic-user:nope')}` } });
    let direct;
    try { await fetch(`${rig.registries.basicDirect}/v2/`, { headers: auth }); direct = 'resolved'; } catch (e) { direct = e.name; }
    return { status: ping.status, challenge: ping.headers.get('WWW-Authenticate'), catalog: catalog.status,
      count: (await catalog.json()).repositories.length, wrong: wrong.status, direct };
  });
  assert.deepEqual(r, { status: 401, challenge: 'Basic realm="basic-realm"', catalog: 200, count: 5, wrong: 401,
    direct: 'TypeError' }, 'the same registry without the front fails its preflight (401)');
});

test('C (token auth): Bearer challenge, token from the realm, catalog with the token', { timeout: 20000 }, async () => {
  const r = await inPage(async (rig) => {
    const ping = await fetch(`${rig.registries.token}/v2/`);
    const challenge = ping.headers.get('WWW-Authenticate');
    const param = (k) => challenge.match(new RegExp(`${k}="([^"]*)"`))[1];
    const { username, password } = rig.users.tokenAdmin;
    const tokenUrl = `${param('realm')}?service=${encodeURIComponent(param('service'))}&scope=registry:catalog:*`;
    const token = await (await fetch(tokenUrl, { headers: { Authorization: `Basic ${btoa(`${username}:${password}`)}` } })).json();
    const catalog = await fetch(`${rig.registries.token}/v2/_catalog?n=7`, { headers: { Authorization: `Bearer ${token.token}` } });
    let noCorsRealm;
    try { await fetch(rig.tokenServer.noCors); noCorsRealm = 'resolved'; } catch (e) { noCorsRealm = e.name; }
    return { status: ping.status, scheme: challenge.split(' ')[0], catalog: catalog.status,
      count: (await catalog.json()).repositories.length, noCorsRealm };
  });
  assert.deepEqual(r, { status: 401, scheme: 'Bearer', catalog: 200, count: 7, noCorsRealm: 'TypeError' });
});

test('the puller may pull team/* but not list the catalog', { timeout: 20000 }, async () => {
  const r = await inPage(async (rig) => {
    const { username, password } = rig.users.tokenPuller;
    const basic = { Authorization: `Basic ${btoa(`${username}:${password}`)}` };
    const token = async (scope) => (await (await fetch(`${rig.tokenServer.cors}?service=rig-registry&scope=${scope}`, { headers: basic })).json()).token;
    const catalog = await fetch(`${rig.registries.token}/v2/_catalog`, { headers: { Authorization: `Bearer ${await token('registry:catalog:*')}` } });
    const pull = await token('repository:team/app/api:pull');
    const tags = await fetch(`${rig.registries.token}/v2/team/app/api/tags/list`, { headers: { Authorization: `Bearer ${pull}` } });
    const manifest = await fetch(`${rig.registries.token}/v2/team/app/api/manifests/latest`, { method: 'HEAD',
      headers: { Authorization: `Bearer ${pull}`, Accept: 'application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json' } });
    return { catalog: catalog.status, error: catalog.headers.get('WWW-Authenticate').includes('insufficient_scope'),
      tags: (await tags.json()).tags.length, manifest: manifest.status };
  });
  assert.deepEqual(r, { catalog: 401, error: true, tags: 3, manifest: 200 });
});

test('a server that never answers times out; a closed port is a TypeError', { timeout: 20000 }, async () => {
  const r = await inPage(async (rig) => {
    const outcome = async (url, init) => { try { await fetch(url, init); return 'resolved'; } catch (e) { return e.name; } };
    return { hang: await outcome(`${rig.hang}/v2/`, { signal: AbortSignal.timeout(300) }),
      closed: await outcome(`${rig.closed}/v2/`), closedNoCors: await outcome(`${rig.closed}/v2/`, { mode: 'no-cors' }) };
  });
  assert.deepEqual(r, { hang: 'TimeoutError', closed: 'TypeError', closedNoCors: 'TypeError' });
});
