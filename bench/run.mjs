// Benchmarks (never timed tests): node --expose-gc bench/run.mjs [--write-readme]
// Needs the release package (scripts/build.sh). Writes bench/out/results.json and, with
// --write-readme, the table between the bench markers in README.md, with machine and date.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import init, * as api from 'registry-probe';
import { launchChromium } from '../tests/e2e/browser.mjs';
import { serveStatic, startLargeRegistry, startRig } from '../tests/rig/rig.mjs';
import { fetchLoop } from './fetch-loop.mjs';
import { timeProbe } from './probe-measure.mjs';
import { validateRegistryUrlJs } from './js-validator.mjs';
import * as cases from './cases.mjs';
import { runRepeated } from './measure.mjs';
import { timeRelay } from './relay-measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const sizes = (file) => {
  const raw = readFileSync(new URL(`../pkg/${file}`, import.meta.url));
  return {
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};

const wasm = await init();
const node = runRepeated(api, validateRegistryUrlJs, cases);

// The probe against the rig's open registry and a 10,000-repository registry (pages of 1000).
const { stop: stopRig, ...rig } = await startRig();
const [large, stopLarge] = await startLargeRegistry(10000);
const targets = { open: rig.registries.open, large };
const nodeProbe = await timeProbe(api.probeRegistry, fetchLoop, targets);
/** Peak JS heap above the baseline while `fn` runs (sampled every millisecond). */
async function peakHeap(fn) {
  globalThis.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 1);
  await fn();
  clearInterval(timer);
  return Math.max(peak, process.memoryUsage().heapUsed) - base;
}
nodeProbe.large.probeHeap = await peakHeap(() => api.probeRegistry({ url: large, catalogPageSize: 1000, maxCatalogPages: 100 }));
nodeProbe.large.loopHeap = await peakHeap(() => fetchLoop(large, 1000));
nodeProbe.large.wasmMemory = wasm.memory.buffer.byteLength;

// Through the console's server vs the direct Node probe (bench/relay-measure.mjs).
const relay = await timeRelay(api.probeRegistry, rig.registries.open);

const server = await serveStatic(0, [['/pkg/', `${root}pkg`], ['/bench/', `${root}bench`]]);
const browser = await launchChromium();
let chromium;
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/page.html`);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 120000 });
  chromium = await page.evaluate(() => window.benchResult);
  chromium.version = browser.version();
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/probe-page.html`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  chromium.probe = await page.evaluate((t) => window.runBench(t), targets);
  // Typing in the real form: validateForm + render per keystroke, as the page records it.
  await page.goto(`${rig.page}/`);
  await page.waitForSelector('body[data-ready]', { state: 'attached' });
  await page.fill('#name', 'Production registry');
  // The form's input handler runs between a capture listener on window (first) and a bubbling
  // one (last): the difference is validate + render for one keystroke. The shell has no hook.
  await page.evaluate(() => {
    window.benchTimings = [];
    let start = 0;
    window.addEventListener('input', () => { start = performance.now(); }, true);
    window.addEventListener('input', () => window.benchTimings.push(performance.now() - start));
  });
  await page.locator('#url').pressSequentially('https://registry.example.com:5000/v2/', { delay: 10 });
  const timings = await page.evaluate(() => [...window.benchTimings].sort((a, b) => a - b));
  chromium.keystroke = { median: timings[Math.floor(timings.length / 2)], max: timings[timings.length - 1], count: timings.length };
} finally {
  await browser.close();
  server.close();
  stopLarge();
  await stopRig();
}

const result = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0].model.trim()}, ${cpus().length} cores, Node ${process.version}, Chromium ${chromium.version}`,
  node, chromium, nodeProbe, relay,
  wasm: sizes('registry_probe_bg.wasm'),
  glue: sizes('registry_probe.js'),
};
mkdirSync(new URL('out/', import.meta.url), { recursive: true });
writeFileSync(new URL('out/results.json', import.meta.url), JSON.stringify(result, null, 2));

const ns = (x) => `${Math.round(x)} ns`;
const us = (x) => `${(x / 1000).toFixed(1)} µs`;
const kb = (x) => `${(x / 1000).toFixed(1)} KB`;
const ms = (x) => `${x.toFixed(1)} ms`;
const spread = ([low, high], show) => `${show(low)}–${show(high)}`;
const table = `Measured ${result.date} on ${result.machine} by \`node --expose-gc bench/run.mjs --write-readme\`.

| what | Node 20 | Chromium | goal |
|---|---|---|---|
| \`validateRegistryUrl\`, one call (wasm) | ${ns(node.urlWasmNs)} | ${ns(chromium.urlWasmNs)} | |
| plain-JS \`new URL()\` validator, same inputs, same run | ${ns(node.urlJsNs)} | ${ns(chromium.urlJsNs)} | |
| ratio wasm / JS (median, range over ${node.runs} runs) | ${node.ratio.toFixed(2)} (${spread(node.ratioRange, (x) => x.toFixed(2))}) | ${chromium.ratio.toFixed(2)} (${spread(chromium.ratioRange, (x) => x.toFixed(2))}) | reported, no goal |
| \`validateForm\`, one keystroke (median, range) | ${us(node.formNs)} (${spread(node.formRange, us)}) | ${us(chromium.formNs)} (${spread(chromium.formRange, us)}) | ≤ 20 µs (Chromium) |
| typing in the demo form: validate + render per keystroke (${chromium.keystroke.count} keys) | | median ${chromium.keystroke.median.toFixed(2)} ms, max ${chromium.keystroke.max.toFixed(2)} ms | well under a 16 ms frame |
| \`init()\` (fetch + compile + instantiate) | | ${chromium.initMs.toFixed(1)} ms | |
| \`WebAssembly.compile\` + instantiate after fetch | | ${(chromium.compileMs + chromium.instantiateMs).toFixed(1)} ms | ≤ 5 ms |

| probe (median of interleaved runs) | Node 20 | Chromium | goal |
|---|---|---|---|
| open registry (${nodeProbe.open.repositories} repositories): requests, probe / fetch loop | ${nodeProbe.open.probeRequests} / ${nodeProbe.open.loopRequests} | ${chromium.probe.open.probeRequests} / ${chromium.probe.open.loopRequests} | the protocol minimum |
| open registry: wall time, probe / fetch loop | ${ms(nodeProbe.open.probeMs)} / ${ms(nodeProbe.open.loopMs)} = ${nodeProbe.open.ratio.toFixed(2)} | ${ms(chromium.probe.open.probeMs)} / ${ms(chromium.probe.open.loopMs)} = ${chromium.probe.open.ratio.toFixed(2)} | ≤ 1.2 |
| catalog walk, ${nodeProbe.large.repositories} repositories in pages of 1000: requests | ${nodeProbe.large.probeRequests} / ${nodeProbe.large.loopRequests} | ${chromium.probe.large.probeRequests} / ${chromium.probe.large.loopRequests} | |
| catalog walk: wall time, probe / fetch loop | ${ms(nodeProbe.large.probeMs)} / ${ms(nodeProbe.large.loopMs)} = ${nodeProbe.large.ratio.toFixed(2)} | ${ms(chromium.probe.large.probeMs)} / ${ms(chromium.probe.large.loopMs)} = ${chromium.probe.large.ratio.toFixed(2)} | |
| catalog walk: peak JS heap, probe / fetch loop | ${kb(nodeProbe.large.probeHeap)} / ${kb(nodeProbe.large.loopHeap)} (wasm memory ${kb(nodeProbe.large.wasmMemory)}) | ${kb(chromium.probe.large.heapPeak)} used JS heap at most | |
| open registry through the console's server vs direct (median of ${relay.runs}) | ${ms(relay.relayMs)} / ${ms(relay.directMs)} = ${(relay.relayMs / relay.directMs).toFixed(2)} (${(1000 / relay.relayMs).toFixed(0)} vs ${(1000 / relay.directMs).toFixed(0)} probes/s) | | ≤ 1.2 |

| file | raw | gzip -9 | brotli |
|---|---|---|---|
| \`registry_probe_bg.wasm\` | ${kb(result.wasm.raw)} | ${kb(result.wasm.gzip)} | ${kb(result.wasm.brotli)} |
| \`registry_probe.js\` (glue) | ${kb(result.glue.raw)} | ${kb(result.glue.gzip)} | ${kb(result.glue.brotli)} |
| together (goal ≤ 100 KB gzip) | ${kb(result.wasm.raw + result.glue.raw)} | ${kb(result.wasm.gzip + result.glue.gzip)} | ${kb(result.wasm.brotli + result.glue.brotli)} |
`;
console.log(table);
if (process.argv.includes('--write-readme')) {
  const readme = new URL('../README.md', import.meta.url);
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const [before, rest] = text.split(start);
  if (rest === undefined) throw new Error('README.md has no bench markers');
  writeFileSync(readme, `${before}${start}\n${table}${end}${rest.split(end)[1]}`);
}
