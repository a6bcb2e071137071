// Shared by the browser tests: the rig's URLs, launching Debian's Chromium, opening a page.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startRig } from '../rig/rig.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/**
 * The running rig: the one scripts/test.sh started (RIG_JSON), or a fresh one for this file.
 * Returns [config, stop].
 */
export async function useRig() {
  if (process.env.RIG_JSON) return [JSON.parse(readFileSync(process.env.RIG_JSON, 'utf8')), async () => {}];
  const { stop, ...config } = await startRig();
  return [config, stop];
}

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 30000 });
}

/**
 * Opens `url` in a new page. `errors` collects uncaught page errors (and, with
 * `consoleErrors`, console errors): a test fails when it is not empty.
 */
export async function openPage(browser, url, { consoleErrors = true } = {}) {
  const page = await browser.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  if (consoleErrors) page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  await page.goto(url);
  return { page, errors };
}

/**
 * Opens the probe test page (tests/pages/probe.html) on the rig's page origin. CORS failures are
 * logged to the console by design there, so only uncaught errors go to `errors`; `consoleText`
 * keeps every console line (for secret checks).
 */
export async function openProbePage(browser, rig) {
  const { page, errors } = await openPage(browser, `${rig.page}/tests/pages/probe.html`, { consoleErrors: false });
  const consoleText = [];
  page.on('console', (m) => consoleText.push(m.text()));
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  return { page, errors, consoleText };
}
