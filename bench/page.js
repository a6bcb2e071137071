import init, * as api from '/pkg/index.js';
import { validateRegistryUrlJs } from './js-validator.mjs';
import * as cases from './cases.mjs';
import { runRepeated } from './measure.mjs';

const t0 = performance.now();
await init();
const initMs = performance.now() - t0;
const bytes = await (await fetch('/pkg/registry_probe_bg.wasm')).arrayBuffer();
const c0 = performance.now();
const module = await WebAssembly.compile(bytes);
const compileMs = performance.now() - c0;
const i0 = performance.now();
await init(module);
const instantiateMs = performance.now() - i0;
window.benchResult = { ...runRepeated(api, validateRegistryUrlJs, cases), initMs, compileMs, instantiateMs };
