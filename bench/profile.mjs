// Where a validateRegistryUrl call spends its time: V8 CPU profiles, in Node and in headless
// Chromium, of a build that keeps wasm function names (release code, no wasm-opt), grouped into
// the wasm module, TextDecoder and the generated glue (serde-wasm-bindgen's calls into JS).
//   node bench/profile.mjs        (after scripts/build.sh; builds target/profile-pkg itself)
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { URL_INPUTS } from './cases.mjs';
import { launchChromium } from '../tests/e2e/browser.mjs';
import { serveStatic } from '../tests/rig/rig.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}target/profile-pkg/`;
execFileSync('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-q'], { cwd: root, stdio: 'inherit' });
rmSync(out, { recursive: true, force: true });
cpSync(`${root}pkg`, out, { recursive: true });
execFileSync('wasm-bindgen', ['--target', 'web', '--keep-debug', '--out-dir', out, '--out-name', 'registry_probe',
  `${root}target/wasm32-unknown-unknown/release/registry_probe.wasm`], { stdio: 'inherit' });

/** Prints a profile's samples by group and by function; `nsPerCall` turns shares into time. */
function report(where, profile, nsPerCall) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const groups = new Map();
  const functions = new Map();
  const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const id of profile.samples) {
    const { functionName, url } = byId.get(id);
    const file = url.split('/').pop();
    const group = file === 'registry_probe.js' ? 'generated glue'
        : file.startsWith('registry_probe_bg.wasm') || url.startsWith('wasm://') ? 'wasm module'
          : functionName === 'decode' || functionName === 'decodeUTF8' ? 'TextDecoder' : `other: ${functionName || '(program)'}`;
    add(groups, group);
    add(functions, `${functionName.replace(/::h[0-9a-f]{16}$/, '')} (${group})`);
  }
  const total = profile.samples.length;
  const share = (count) => count / total;
  console.log(`\n${where}: ${Math.round(nsPerCall)} ns per call unprofiled (this build skips wasm-opt, so its wasm is slower than the package's), ${total} samples`);
  for (const [key, count] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`${(100 * share(count)).toFixed(1).padStart(5)}%  ~${Math.round(share(count) * nsPerCall)} ns  ${key}`);
  }
  const js = ['TextDecoder', 'generated glue'].reduce((sum, g) => sum + share(groups.get(g) ?? 0), 0);
  console.log(`JS side of the call (TextDecoder, glue): ~${Math.round(js * nsPerCall)} ns`);
  for (const [key, count] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`${(100 * share(count)).toFixed(1).padStart(5)}%  ${key}`);
  }
}

// Node, in this process.
{
  const api = await import(pathToFileURL(`${out}node.js`).href);
  await api.default();
  const call = (n) => { for (let i = 0; i < n; i++) api.validateRegistryUrl(URL_INPUTS[i % URL_INPUTS.length]); };
  call(50000);
  const t0 = performance.now();
  call(300000);
  const ns = ((performance.now() - t0) * 1e6) / 300000;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  call(300000);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  report(`Node ${process.version}`, profile, ns);
}

const server = await serveStatic(0, [['/pkg/', out], ['/bench/', `${root}bench/`]]);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/probe-page.html`);
  await page.evaluate(async () => {
    const api = await import('/pkg/index.js');
    await api.default();
    const { URL_INPUTS } = await import('/bench/cases.mjs');
    window.call = (n) => { for (let i = 0; i < n; i++) api.validateRegistryUrl(URL_INPUTS[i % URL_INPUTS.length]); };
    window.call(50000); // warm up
  });
  const ns = await page.evaluate(() => {
    const t0 = performance.now();
    window.call(300000);
    return ((performance.now() - t0) * 1e6) / 300000;
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await page.evaluate(() => window.call(300000));
  const { profile } = await cdp.send('Profiler.stop');

  report(`Chromium ${browser.version()}`, profile, ns);
} finally {
  await browser.close();
  server.close();
}
