// Benchmarks (never timed tests): node bench/run.mjs [--write-readme]
// Needs the release package (scripts/build.sh). Writes bench/out/results.json and, with
// --write-readme, the table between the bench markers in README.md, with machine and date.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import init, * as api from 'registry-probe';
import { launchChromium } from '../tests/e2e/browser.mjs';
import { serveStatic } from '../tests/rig/rig.mjs';
import { validateRegistryUrlJs } from './js-validator.mjs';
import * as cases from './cases.mjs';
import { runAll } from './measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const sizes = (file) => {
  const raw = readFileSync(new URL(`../pkg/${file}`, import.meta.url));
  return {
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};

await init();
const node = runAll(api, validateRegistryUrlJs, cases);

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
} finally {
  await browser.close();
  server.close();
}

const result = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus()[0].model.trim()}, ${cpus().length} cores, Node ${process.version}, Chromium ${chromium.version}`,
  node, chromium,
  wasm: sizes('registry_probe_bg.wasm'),
  glue: sizes('registry_probe.js'),
};
mkdirSync(new URL('out/', import.meta.url), { recursive: true });
writeFileSync(new URL('out/results.json', import.meta.url), JSON.stringify(result, null, 2));

const ns = (x) => `${Math.round(x)} ns`;
const us = (x) => `${(x / 1000).toFixed(1)} µs`;
const kb = (x) => `${(x / 1000).toFixed(1)} KB`;
const table = `Measured ${result.date} on ${result.machine} by \`node bench/run.mjs --write-readme\`.

| what | Node 20 | Chromium | goal |
|---|---|---|---|
| \`validateRegistryUrl\`, one call (wasm) | ${ns(node.urlWasmNs)} | ${ns(chromium.urlWasmNs)} | |
| plain-JS \`new URL()\` validator, same inputs, same run | ${ns(node.urlJsNs)} | ${ns(chromium.urlJsNs)} | |
| ratio wasm / JS | ${node.ratio.toFixed(2)} | ${chromium.ratio.toFixed(2)} | ≤ 1.0 |
| \`validateForm\`, one keystroke | ${us(node.formNs)} | ${us(chromium.formNs)} | ≤ 20 µs (Chromium) |
| \`init()\` (fetch + compile + instantiate) | | ${chromium.initMs.toFixed(1)} ms | |
| \`WebAssembly.compile\` + instantiate after fetch | | ${(chromium.compileMs + chromium.instantiateMs).toFixed(1)} ms | ≤ 5 ms |

| file | raw | gzip -9 | brotli |
|---|---|---|---|
| \`registry_probe_bg.wasm\` | ${kb(result.wasm.raw)} | ${kb(result.wasm.gzip)} | ${kb(result.wasm.brotli)} |
| \`registry_probe.js\` (glue) | ${kb(result.glue.raw)} | ${kb(result.glue.gzip)} | ${kb(result.glue.brotli)} |
| together (goal ≤ 45 KB gzip) | ${kb(result.wasm.raw + result.glue.raw)} | ${kb(result.wasm.gzip + result.glue.gzip)} | ${kb(result.wasm.brotli + result.glue.brotli)} |
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
