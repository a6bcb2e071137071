// Probes each URL given on the command line from a fresh Node process (so that the parent's
// test can set NODE_EXTRA_CA_CERTS), printing each report as one JSON line.
import init, { probeRegistry } from 'registry-probe';

await init();
for (const url of process.argv.slice(2)) {
  process.stdout.write(`${JSON.stringify(await probeRegistry({ url, timeoutMs: 5000 }))}\n`);
}
