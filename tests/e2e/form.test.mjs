// The form shell as a person uses it, in headless Chromium (Playwright), against the real rig.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { launchChromium, useRig } from './browser.mjs';
import { MARKUP_REPOSITORY } from '../rig/hostile.mjs';

const shots = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
let rig, stopRig, browser;
before(async () => {
  [rig, stopRig] = await useRig();
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
});
after(async () => {
  await browser?.close();
  await stopRig?.();
});

/** A fresh form page; `errors` collects uncaught errors, `inFlight()` counts unfinished requests. */
// Per-request timeouts are injected (`?timeoutMs=`), so a test waits just past them.
const TIMEOUT_MS = 1000;

async function openForm(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const open = new Set();
  const requests = [];
  page.on('request', (r) => { open.add(r); requests.push(r.url()); });
  page.on('requestfinished', (r) => open.delete(r));
  page.on('requestfailed', (r) => open.delete(r));
  await page.goto(`${rig.page}/?timeoutMs=${TIMEOUT_MS}`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  return { page, errors, requests, inFlight: () => open.size, close: () => context.close() };
}

async function testConnection(page) {
  await page.click('#test');
  await page.waitForFunction(() => /\b(ok|partial|failed)\b/.test(document.querySelector('#verdict').className));
  return page.getAttribute('#verdict', 'class');
}

test('a bad URL shows its message and span; the fix button repairs it; the YAML follows', { timeout: 60000 }, async () => {
  const { page, errors, close } = await openForm();
  await page.fill('#name', 'Hub mirror');
  await page.fill('#url', 'nginx:latest');
  assert.match(await page.textContent('#url-messages'), /image reference, not a registry URL/);
  assert.equal(await page.getAttribute('#url', 'aria-invalid'), 'true');
  assert.equal(await page.textContent('#url-highlight mark'), 'nginx:latest');
  assert.equal(await page.isDisabled('#save'), true);
  await page.click('#url-messages button');
  assert.equal(await page.inputValue('#url'), 'https://index.docker.io/v2/');
  assert.equal(await page.getAttribute('#url', 'aria-invalid'), 'false');
  assert.equal(await page.inputValue('#identifier'), 'Hub_mirror');
  assert.match(await page.textContent('#yaml'), /dockerRegistryUrl: "https:\/\/index\.docker\.io\/v2\/"/);
  assert.match(await page.textContent('#provider-auto'), /DockerHub/);
  await page.fill('#name', 'Hub mirror 2');
  assert.match(await page.textContent('#yaml'), /name: "Hub mirror 2"/);
  assert.equal(await page.isDisabled('#save'), false);
  // Selector chips: invalid ones are flagged with their index.
  await page.fill('#selector-input', 'bad selector');
  await page.press('#selector-input', 'Enter');
  assert.match(await page.textContent('#delegateSelectors-messages'), /Remove U\+0020/);
  assert.equal(await page.locator('.chip.invalid').count(), 1);
  await page.click('.chip button');
  assert.equal(await page.locator('.chip').count(), 0);
  // A typed password in the secret reference field is refused without echoing it.
  await page.check('#auth-userpass');
  await page.fill('#username', 'ci');
  await page.fill('#passwordRef', 'hunter2!');
  assert.match(await page.textContent('#passwordRef-messages'), /secrets are referenced, not typed/);
  assert.ok(!(await page.textContent('#passwordRef-messages')).includes('hunter2'));
  assert.deepEqual(errors, []);
  await close();
});

test('the automatic ping shows reachability; rapid typing ends with the last value and nothing in flight', { timeout: 60000 }, async () => {
  const { page, errors, requests, inFlight, close } = await openForm();
  const target = `${rig.registries.basic}/v2/`;
  await page.locator('#url').pressSequentially(target, { delay: 20 });
  await page.waitForFunction(() => document.querySelector('#url-status').className === 'status ok');
  assert.equal(await page.textContent('#url-status'), 'The registry answers (API v2) and uses Basic authentication.');
  const pings = requests.filter((u) => u.startsWith(rig.registries.basic));
  assert.deepEqual(pings, [target], 'one ping, for the final value only');
  assert.equal(inFlight(), 0);
  // An older, slower answer never overwrites a newer one: start a ping that hangs, then change.
  await page.fill('#url', `${rig.hang}/v2/`);
  await page.waitForFunction(() => document.querySelector('#url-status').textContent === 'Checking…');
  await page.fill('#url', `${rig.registries.open}/v2/`);
  await page.waitForFunction(() => document.querySelector('#url-status').className === 'status ok');
  await page.waitForTimeout(TIMEOUT_MS + 300); // past the hanging ping's timeout, had it not been cancelled
  assert.equal(await page.textContent('#url-status'), 'The registry answers (API v2).');
  assert.equal(inFlight(), 0);
  assert.deepEqual(errors, []);
  await close();
});

test('Test connection: ok against the open, auth (front) and token registries', { timeout: 90000 }, async () => {
  const { page, errors, close } = await openForm();
  const historyBefore = await page.evaluate(() => history.length);
  await page.fill('#name', 'Local');
  await page.fill('#url', rig.registries.open);
  assert.equal(await testConnection(page), 'verdict ok');
  assert.equal(await page.locator('#steps li.ok').count(), 4);
  assert.match(await page.textContent('#catalog-page'), /Page 1 of 6 \(128 images\)/);
  await page.fill('#catalog-filter', 'team/');
  assert.match(await page.textContent('#catalog-page'), /\(4 images\)/);
  for (const [url, user] of [[rig.registries.basic, rig.users.basic], [rig.registries.token, rig.users.tokenAdmin]]) {
    await page.fill('#url', url);
    await page.check('#auth-userpass');
    await page.fill('#username', user.username);
    await page.fill('#passwordRef', 'account.registry_pw');
    await page.fill('#test-password', user.password);
    assert.equal(await testConnection(page), 'verdict ok', url);
    assert.ok(!(await page.textContent('main')).includes(user.password), 'the password is never shown');
  }
  // Nothing of the one-off password is kept: no storage, no URL, no history entry.
  const kept = await page.evaluate(() => [localStorage.length, sessionStorage.length, location.href, history.length]);
  assert.deepEqual(kept, [0, 0, `${rig.page}/?timeoutMs=${TIMEOUT_MS}`, historyBefore]);
  await page.click('#save');
  assert.match(await page.textContent('#save-status'), /Saved connector Local/);
  assert.deepEqual(await page.evaluate(() => [location.href, history.length]), [`${rig.page}/?timeoutMs=${TIMEOUT_MS}`, historyBefore]);
  assert.deepEqual(errors, []);
  await close();
});

test('Test connection: registries the browser blocks (no CORS, preflight 401) get a full verdict from the server; Cancel works', { timeout: 60000 }, async () => {
  const { page, errors, inFlight, close } = await openForm();
  await page.fill('#name', 'No CORS');
  await page.fill('#url', rig.registries.noCors);
  assert.equal(await testConnection(page), 'verdict ok');
  assert.match(await page.textContent('#findings'), /ran on the console's server, because the browser blocked it in this page \(cors-blocked\)/);
  // The server replayed this page's CORS checks: the defect and the registry's config to paste.
  assert.match(await page.textContent('#findings'), /sends no Access-Control-Allow-Origin header, so a page on http:\/\/127\.0\.0\.1:\d+ cannot read its answers/);
  assert.match(await page.textContent('#findings pre.snippet'), new RegExp(`Access-Control-Allow-Origin: \\['${rig.page}'\\]`));
  assert.equal(await page.isHidden('#trace'), false);
  assert.match(await page.textContent('#trace-commands'), /^curl -sS -i/);
  await page.fill('#url', rig.registries.basicDirect);
  await page.check('#auth-userpass');
  await page.fill('#username', rig.users.basic.username);
  await page.fill('#passwordRef', 'account.registry_pw');
  await page.fill('#test-password', rig.users.basic.password);
  assert.equal(await testConnection(page), 'verdict ok');
  assert.match(await page.textContent('#findings'), /preflight-rejected/);
  assert.match(await page.textContent('#findings pre.snippet'), /location \/v2\/ \{/);
  const commands = await page.textContent('#trace-commands');
  assert.match(commands, /-u "\$REGISTRY_USERNAME:\$REGISTRY_PASSWORD"/);
  assert.ok(!commands.includes(rig.users.basic.password));
  await page.check('#auth-anonymous');
  await page.fill('#url', rig.hang);
  await page.click('#test');
  await page.waitForFunction(() => !document.querySelector('#cancel').disabled);
  await page.click('#cancel');
  await page.waitForFunction(() => document.querySelector('#verdict').textContent === 'Cancelled.');
  assert.equal(await page.isDisabled('#cancel'), true);
  await page.waitForTimeout(100);
  assert.equal(inFlight(), 0);
  assert.deepEqual(errors, []);
  await close();
});

test('overlapping Test connection runs: only the newest answer is shown', { timeout: 60000 }, async () => {
  const { page, errors, inFlight, close } = await openForm();
  await page.fill('#name', 'Race');
  await page.fill('#url', rig.hang);
  await page.click('#test');
  await page.fill('#url', rig.registries.open);
  assert.equal(await testConnection(page), 'verdict ok');
  await page.waitForTimeout(TIMEOUT_MS + 300); // past the first run's timeout, had it not been cancelled
  assert.equal(await page.getAttribute('#verdict', 'class'), 'verdict ok');
  assert.match(await page.textContent('#steps'), /Listed 128 images/);
  assert.equal(inFlight(), 0);
  assert.deepEqual(errors, []);
  await close();
});

test('registry names with markup are shown as text', { timeout: 60000 }, async () => {
  const { page, errors, close } = await openForm();
  await page.fill('#name', 'Hostile');
  await page.fill('#url', `${rig.hostile}/markup`);
  await page.fill('#repository', 'plain/ok');
  await testConnection(page);
  assert.equal(await page.locator('#catalog-list li').first().textContent(), MARKUP_REPOSITORY);
  assert.equal(await page.locator('#catalog-list img, #tags-list script, #catalog-list b').count(), 0);
  assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
  assert.deepEqual(errors, []);
  await close();
});

test('accessibility: axe-core finds no serious violations; readable at 320 px; screenshots at 1280 and 375 px', { timeout: 120000 }, async () => {
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  for (const width of [1280, 375, 320]) {
    // bypassCSP only so axe's own script can be injected; the page itself runs under the CSP.
    const { page, errors, close } = await openForm({ viewport: { width, height: 900 }, bypassCSP: true });
    await page.fill('#name', 'Production registry');
    await page.fill('#url', `${rig.registries.basic}/v2/_catalog`);
    await page.check('#auth-userpass');
    await page.fill('#username', rig.users.basic.username);
    await page.fill('#passwordRef', 'account.registry_pw');
    await page.fill('#test-password', rig.users.basic.password);
    await page.fill('#selector-input', 'builder');
    await page.press('#selector-input', 'Enter');
    await testConnection(page);
    await page.addScriptTag({ path: axe });
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`));
    assert.deepEqual(violations, [], `at ${width} px`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    assert.equal(overflow, false, `no horizontal scrolling at ${width} px`);
    await page.screenshot({ path: `${shots}form-${width}.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await close();
  }
});

test('keyboard only: Tab reaches every control in order and Enter adds a selector', { timeout: 30000 }, async () => {
  const { page, close } = await openForm();
  await page.focus('#name');
  const order = [];
  for (let i = 0; i < 8; i++) {
    order.push(await page.evaluate(() => document.activeElement.id));
    await page.keyboard.press('Tab');
  }
  assert.deepEqual(order.slice(0, 5), ['name', 'identifier', 'url', 'providerType', 'auth-anonymous']);
  await page.focus('#selector-input');
  await page.keyboard.type('eu-west');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.chip').count(), 1);
  await close();
});
