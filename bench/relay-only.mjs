// The server-vs-direct row of bench/run.mjs alone, to compare two builds (swap pkg/ between
// runs): node bench/relay-only.mjs [runs]
import init, * as api from 'registry-probe';
import { startRig } from '../tests/rig/rig.mjs';
import { timeRelay } from './relay-measure.mjs';

await init();
const { stop: stopRig, ...rig } = await startRig();
try {
  const { directMs, relayMs, runs } = await timeRelay(api.probeRegistry, rig.registries.open, Number(process.argv[2] ?? 61));
  console.log(`direct ${directMs.toFixed(1)} ms, relay ${relayMs.toFixed(1)} ms, ratio ${(relayMs / directMs).toFixed(2)} (median of ${runs})`);
} finally {
  await stopRig();
}
