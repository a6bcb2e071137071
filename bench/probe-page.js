import init, { probeRegistry } from '/pkg/index.js';
import { fetchLoop } from './fetch-loop.mjs';
import { timeProbe } from './probe-measure.mjs';

await init();
window.runBench = (targets) => timeProbe(probeRegistry, fetchLoop, targets);
document.body.dataset.ready = 'true';
