import init, { probeRegistry, validateRegistryUrl } from '/pkg/index.js';

self.onmessage = async ({ data }) => {
  try {
    await init(data.module);
    const url = validateRegistryUrl('docker.io').endpoint.url;
    const report = await probeRegistry({ url: data.url });
    self.postMessage({ url, verdict: report.verdict, repositories: report.catalog.repositories.length });
  } catch (e) {
    self.postMessage({ error: `${e.name}: ${e.message}` });
  }
};
