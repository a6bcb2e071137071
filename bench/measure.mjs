// Timing loops shared by the Node and the browser runs (no Node APIs here).
// Each measurement: warm up, then several rounds alternating the contenders; the median round.
const now = () => performance.now();

function round(fn, inputs, calls) {
  const t0 = now();
  for (let i = 0; i < calls; i++) fn(inputs[i % inputs.length]);
  return ((now() - t0) * 1e6) / calls; // ns per call
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** ns/call for each named function over `inputs`, measured in the same interleaved rounds. */
export function compare(fns, inputs, { calls = 20000, rounds = 9 } = {}) {
  const names = Object.keys(fns);
  for (const name of names) round(fns[name], inputs, calls); // warm-up
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) for (const name of names) samples[name].push(round(fns[name], inputs, calls));
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

/** Runs the URL and form benchmarks against a loaded package. */
export function runAll({ validateRegistryUrl, validateForm }, validateRegistryUrlJs, { URL_INPUTS, FORM }) {
  const url = compare({ wasm: (s) => validateRegistryUrl(s), js: (s) => validateRegistryUrlJs(s) }, URL_INPUTS);
  // One keystroke: the name field changes by one character each call.
  const forms = Array.from({ length: 16 }, (_, i) => ({ ...FORM, name: FORM.name.slice(0, 5 + i) }));
  const form = compare({ form: (f) => validateForm(f) }, forms, { calls: 5000 });
  return { urlWasmNs: url.wasm, urlJsNs: url.js, ratio: url.wasm / url.js, formNs: form.form };
}

/**
 * runAll `times` times: the median of each number, and the range of the ratio and of the form
 * time (this VM's timings move by up to ~1.8x between runs; the range shows how much).
 */
export function runRepeated(api, validateRegistryUrlJs, cases, times = 3) {
  const runs = Array.from({ length: times }, () => runAll(api, validateRegistryUrlJs, cases));
  const all = (key) => runs.map((r) => r[key]);
  const range = (key) => [Math.min(...all(key)), Math.max(...all(key))];
  return {
    urlWasmNs: median(all('urlWasmNs')), urlJsNs: median(all('urlJsNs')), ratio: median(all('ratio')),
    formNs: median(all('formNs')), ratioRange: range('ratio'), formRange: range('formNs'), runs: times,
  };
}
