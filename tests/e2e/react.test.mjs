// A React consumer (Vite + React, useSyncExternalStore over the session's subscribe), built here
// and driven in Chromium: typing, a fix, the quiet ping, Test connection and Cancel.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { serveStatic } from '../rig/rig.mjs';
import { launchChromium, openPage, useRig } from './browser.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let rig, stopRig, browser, server, page, errors;
const requests = [];
before(async () => {
  [rig, stopRig] = await useRig();
  browser = await launchChromium();
  const outDir = join(root, 'test-output', 'react-dist');
  mkdirSync(outDir, { recursive: true });
  await build({
    root: join(root, 'tests/consumers/react'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  server = await serveStatic(0, [['/', outDir]]);
  ({ page, errors } = await openPage(browser, `http://127.0.0.1:${server.address().port}/`, { consoleErrors: false }));
  page.on('request', (r) => requests.push(r.url()));
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
});
after(async () => {
  await browser?.close();
  server?.close();
  await stopRig?.();
});
afterEach(() => assert.deepEqual(errors.splice(0), []));

test('React: typing validates at once, a fix repairs, and only the last URL is pinged', { timeout: 60000 }, async () => {
  await page.locator('#url').pressSequentially('https://user:pw@example.com', { delay: 5 });
  await page.waitForSelector('#messages li.error');
  assert.match(await page.textContent('#messages'), /Remove the credentials/);
  await page.click('#messages button.fix');
  assert.equal(await page.inputValue('#url'), 'https://example.com');
  requests.length = 0;
  await page.fill('#url', '');
  await page.locator('#url').pressSequentially(`${rig.registries.open}/v2/`, { delay: 5 });
  await page.waitForFunction(() => document.querySelector('#ping').dataset.status === 'done');
  assert.equal(await page.textContent('#ping'), 'The registry answers (API v2).');
  const pings = requests.filter((u) => u.startsWith(rig.registries.open));
  assert.deepEqual(pings, [`${rig.registries.open}/v2/`], 'one ping, for the last value');
});

test('React: Test connection shows live steps and the verdict sentence; Cancel stops a hanging run', { timeout: 60000 }, async () => {
  await page.fill('#url', rig.registries.open);
  await page.click('#test');
  await page.waitForFunction(() => document.querySelector('#verdict').dataset.status === 'done');
  assert.equal(await page.getAttribute('#verdict', 'class'), 'ok');
  assert.equal(await page.textContent('#verdict'), 'Everything works: the account can list images and tags and pull.');
  assert.equal(await page.locator('#steps li').count(), 6);
  await page.fill('#url', rig.hang);
  await page.click('#test');
  await page.waitForFunction(() => !document.querySelector('#cancel').disabled);
  await page.click('#cancel');
  await page.waitForFunction(() => document.querySelector('#verdict').dataset.status === 'cancelled');
  assert.equal(await page.isDisabled('#cancel'), true);
});
