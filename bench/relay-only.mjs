// The relay row of bench/run.mjs alone, for comparing two builds: node bench/relay-only.mjs [runs]
import init, * as api from 'registry-probe';
import { createServer } from 'node:http';
import { createProbeHandler, toNodeListener } from 'registry-probe/server';
import { startRig } from '../tests/rig/rig.mjs';

await init();
const { stop: stopRig, ...rig } = await startRig();
const relayServer = createServer(toNodeListener(createProbeHandler({ allowHosts: ['127.0.0.1'] })));
await new Promise((resolve) => relayServer.listen(0, '127.0.0.1', resolve));
const relayUrl = `http://127.0.0.1:${relayServer.address().port}/probe`;
const viaRelay = async () => (await fetch(relayUrl, {
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: rig.registries.open }),
})).json();
const runs = Number(process.argv[2] ?? 61);
const relayTimes = [];
const directTimes = [];
for (let i = 0; i < runs; i++) {
  let t = performance.now();
  await api.probeRegistry({ url: rig.registries.open });
  directTimes.push(performance.now() - t);
  t = performance.now();
  await viaRelay();
  relayTimes.push(performance.now() - t);
}
const medianOf = (xs) => [...xs].slice(1).sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const [d, r] = [medianOf(directTimes), medianOf(relayTimes)];
console.log(`direct ${d.toFixed(1)} ms, relay ${r.toFixed(1)} ms, ratio ${(r / d).toFixed(2)}`);
relayServer.close();
await stopRig();
