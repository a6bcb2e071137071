// Runs the package in a module Web Worker, loaded two ways: init() on its own, and init(module)
// with a WebAssembly.Module compiled by the page and posted to the worker.
const rig = await (await fetch('/rig.json')).json();
const module = await WebAssembly.compileStreaming(fetch('/pkg/registry_probe_bg.wasm'));
const results = {};
for (const mode of ['fetch', 'module']) {
  const worker = new Worker('/tests/pages/worker.js', { type: 'module' });
  results[mode] = await new Promise((resolve) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => resolve({ error: e.message });
    worker.postMessage({ mode, module: mode === 'module' ? module : undefined, url: rig.registries.open });
  });
  worker.terminate();
}
document.body.dataset.result = JSON.stringify(results);
