// The console's server (registry-probe/server on loopback) against the direct Node probe: the
// same registry and count, interleaved; the median time per probe of each, the first run of each
// left out (warm-up). Used by run.mjs (the README's row) and relay-only.mjs (that row alone).
import { createServer } from 'node:http';
import { createProbeHandler, toNodeListener } from 'registry-probe/server';

/** `{ directMs, relayMs, runs }` over `runs` interleaved probes of `url` (an open registry). */
export async function timeRelay(probeRegistry, url, runs = 31) {
  const relayServer = createServer(toNodeListener(createProbeHandler({ allowHosts: ['127.0.0.1'] })));
  await new Promise((resolve) => relayServer.listen(0, '127.0.0.1', resolve));
  const relayUrl = `http://127.0.0.1:${relayServer.address().port}/probe`;
  const viaRelay = async () => (await fetch(relayUrl, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url }),
  })).json();
  const relayTimes = [];
  const directTimes = [];
  try {
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      const direct = await probeRegistry({ url });
      const directMs = performance.now() - t;
      t = performance.now();
      const relayed = await viaRelay();
      const relayMs = performance.now() - t;
      if (direct.verdict !== 'ok' || relayed.verdict !== 'ok') throw new Error('relay benchmark: not ok');
      if (i > 0) { directTimes.push(directMs); relayTimes.push(relayMs); }
    }
  } finally {
    relayServer.close();
  }
  const medianOf = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { directMs: medianOf(directTimes), relayMs: medianOf(relayTimes), runs: relayTimes.length };
}
