// The release package in headless Chromium: from a plain module page, and built by Vite.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { serveStatic } from '../rig/rig.mjs';
import { launchChromium, openPage, useRig } from './browser.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let rig, stopRig, browser;
before(async () => {
  [rig, stopRig] = await useRig();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await stopRig?.();
});

test('release package loads in a module page and passes every URL vector', { timeout: 60000 }, async () => {
  const { page, errors } = await openPage(browser, `${rig.page}/tests/pages/smoke.html`);
  await page.waitForSelector('body[data-done]', { state: 'attached' });
  const result = JSON.parse(await page.textContent('#out'));
  assert.deepEqual(result.failures, []);
  assert.ok(result.cases >= 150);
  assert.deepEqual(errors, []);
});

test('a Vite app that imports the package by name builds and runs', { timeout: 120000 }, async () => {
  const outDir = join(root, 'test-output', 'vite-dist');
  mkdirSync(outDir, { recursive: true });
  await build({
    root: join(root, 'tests/consumers/vite'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  const server = await serveStatic(0, [['/', outDir]]);
  try {
    const { page, errors } = await openPage(browser, `http://127.0.0.1:${server.address().port}/`);
    await page.waitForSelector('body[data-url]', { state: 'attached' });
    assert.equal(await page.getAttribute('body', 'data-url'), 'https://index.docker.io/v2/');
    assert.deepEqual(errors, []);
  } finally {
    server.close();
  }
});

test('the package works in a module Web Worker, with init() and with init(module)', { timeout: 60000 }, async () => {
  const { page, errors } = await openPage(browser, `${rig.page}/tests/pages/worker.html`);
  await page.waitForSelector('body[data-result]', { state: 'attached' });
  const results = JSON.parse(await page.getAttribute('body', 'data-result'));
  const expected = { url: 'https://index.docker.io/v2/', verdict: 'ok', repositories: rig.repositories.length };
  assert.deepEqual(results, { fetch: expected, module: expected });
  assert.deepEqual(errors, []);
});
