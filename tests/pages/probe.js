// Exposes the release package's probe to the browser tests.
import init, { probeRegistry } from '/pkg/index.js';

await init();
window.runProbe = async (request, { abortAfterMs, relay } = {}) => {
  const steps = [];
  const controller = new AbortController();
  if (abortAfterMs !== undefined) setTimeout(() => controller.abort(), abortAfterMs);
  const started = performance.now();
  try {
    const report = await probeRegistry(request, { signal: controller.signal, onProgress: (s) => steps.push(s), relay });
    return { report, steps, ms: performance.now() - started };
  } catch (e) {
    return { error: e.name, message: e.message, steps, ms: performance.now() - started };
  }
};
document.body.dataset.ready = 'true';
