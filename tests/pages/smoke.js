// Loads the release package (wasm-opt'ed) like a plain <script type="module"> page would and
// runs the shared URL vectors through it.
import init, { validateRegistryUrl } from '/pkg/index.js';
import { matchesGolden, runVectors } from '/tests/js/vectors.mjs';

await init();
// init() also takes an explicit URL (a CDN, another path).
await init(new URL('/pkg/registry_probe_bg.wasm', location.href));
const doc = await (await fetch('/tests/vectors/registry-url.json')).json();
const golden = await (await fetch('/tests/vectors/registry-url.expected.json')).json();
const failures = runVectors(doc, (c) => matchesGolden(golden, c, validateRegistryUrl(c.input, c.options)));
document.getElementById('out').textContent = JSON.stringify({ cases: doc.cases.length, failures });
document.body.dataset.done = 'true';
