// A bundler consumer: the two lines every consumer writes.
import init, { validateRegistryUrl } from 'registry-probe';

await init();
document.body.dataset.url = validateRegistryUrl('docker.io').endpoint.url;
