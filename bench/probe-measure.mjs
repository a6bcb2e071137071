// Probe vs fetch loop, interleaved, median of `rounds` (no Node APIs: runs in pages too).
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function timeProbe(probeRegistry, fetchLoop, { open, large, rounds = 15 }) {
  const out = {};
  for (const [name, url, pageSize, n] of [['open', open, 100, rounds], ['large', large, 1000, Math.max(3, Math.floor(rounds / 3))]]) {
    const probe = [];
    const loop = [];
    let probeRequests = 0;
    let loopRequests = 0;
    let repositories = 0;
    let heapPeak = 0;
    const heap = () => globalThis.performance?.memory?.usedJSHeapSize ?? 0;
    for (let i = 0; i < n + 1; i++) {
      let t = performance.now();
      const report = await probeRegistry({ url, catalogPageSize: pageSize, maxCatalogPages: 100 });
      const probeMs = performance.now() - t;
      heapPeak = Math.max(heapPeak, heap());
      t = performance.now();
      const result = await fetchLoop(url, pageSize);
      const loopMs = performance.now() - t;
      if (i === 0) continue; // warm-up
      probe.push(probeMs);
      loop.push(loopMs);
      probeRequests = report.requests;
      loopRequests = result.requests;
      repositories = report.catalog.repositories.length;
      if (report.verdict !== 'ok' || repositories !== result.repositories) throw new Error(`${name}: ${report.verdict} ${repositories}/${result.repositories}`);
    }
    out[name] = { probeMs: median(probe), loopMs: median(loop), ratio: median(probe) / median(loop), probeRequests, loopRequests, repositories, heapPeak };
  }
  return out;
}
