// Load on registry-probe/server (a benchmark, never a timed test): N concurrent Test clicks
// through a real HTTP server (toNodeListener) against a loopback registry that answers every
// request after 200 ms. Reports how many waited in the queue, how many got 429, the time to a
// report (p50/p99) of those served, and the RSS growth.
//   node bench/load.mjs [--write-readme]      (after scripts/build.sh)
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { createProbeHandler, toNodeListener } from 'registry-probe/server';

const CLICKS = 500;
const DELAY_MS = 200;

const registry = createServer((req, res) => setTimeout(() => {
  const headers = { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0' };
  if (req.url.startsWith('/v2/_catalog')) return res.writeHead(200, headers).end('{"repositories":["team/app"]}');
  if (req.url.endsWith('/tags/list')) return res.writeHead(200, headers).end('{"name":"team/app","tags":["latest"]}');
  if (req.url.includes('/manifests/')) return res.writeHead(200, { ...headers, 'Docker-Content-Digest': `sha256:${'0'.repeat(64)}` }).end();
  return res.writeHead(200, headers).end('{}');
}, DELAY_MS));
await new Promise((resolve) => registry.listen(0, '127.0.0.1', resolve));
const registryUrl = `http://127.0.0.1:${registry.address().port}`;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** One round: `CLICKS` Test clicks at once against a server with `options`. */
async function round(label, options) {
  const handler = createProbeHandler({ allowHosts: ['127.0.0.1'], ...options });
  await handler.ready;
  const server = createServer(toNodeListener(handler));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/probe`;
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 20);
  const click = async () => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' },
      body: JSON.stringify({ url: registryUrl }),
    });
    if (response.status !== 200) {
      await response.arrayBuffer();
      return { status: response.status };
    }
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line));
    const report = lines.find((line) => line.report)?.report;
    return {
      status: report ? 200 : (lines.at(-1).status ?? 500),
      waited: lines.some((line) => line.queued),
      ms: performance.now() - started,
      verdict: report?.verdict,
    };
  };
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: CLICKS }, click));
  const wall = performance.now() - started;
  clearInterval(sampler);
  server.close();
  const served = results.filter((r) => r.status === 200);
  const times = served.map((r) => r.ms).sort((a, b) => a - b);
  const row = {
    label,
    clicks: CLICKS,
    served: served.length,
    ok: served.filter((r) => r.verdict === 'ok').length,
    waited: results.filter((r) => r.waited).length,
    refused429: results.filter((r) => r.status === 429).length,
    other: results.filter((r) => r.status !== 200 && r.status !== 429).length,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    wall,
    rssGrowthMiB: (rssPeak - rssBefore) / 1024 / 1024,
  };
  console.log(JSON.stringify(row));
  return row;
}

const rows = [
  await round('defaults (maxConcurrent 8, maxQueued 32, queueTimeoutMs 10 s)', { maxConcurrent: 8 }),
  await round('maxQueued 0 (no queue)', { maxConcurrent: 8, maxQueued: 0 }),
  await round('maxQueued 500, queueTimeoutMs 120 s (everyone waits)', { maxConcurrent: 8, maxQueued: 500, queueTimeoutMs: 120_000 }),
];
registry.close();

const ms = (v) => (v === undefined ? '' : `${Math.round(v)} ms`);
const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.version} by \`node --expose-gc bench/load.mjs --write-readme\`: ${CLICKS} Test clicks at once through \`registry-probe serve\`'s handler over HTTP, against a loopback registry answering every request after ${DELAY_MS} ms (a probe is 4 requests).`,
  '',
  '| server | served (ok) | waited in the queue | 429 | other | time to a report, p50 / p99 | all answered after | RSS growth |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.label} | ${r.served} (${r.ok}) | ${r.waited} | ${r.refused429} | ${r.other} | ${ms(r.p50)} / ${ms(r.p99)} | ${ms(r.wall)} | ${r.rssGrowthMiB.toFixed(1)} MiB |`),
].join('\n');
console.log(table);
if (process.argv.includes('--write-readme')) {
  const readme = new URL('../README.md', import.meta.url);
  const text = readFileSync(readme, 'utf8');
  const updated = text.replace(/<!-- load:start -->[\s\S]*<!-- load:end -->/, `<!-- load:start -->\n${table}\n<!-- load:end -->`);
  if (updated === text && !text.includes(table)) throw new Error('README has no load markers');
  writeFileSync(readme, updated);
}
