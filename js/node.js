// Node entry: same API; init() with no argument reads the .wasm from disk.
import { readFile } from 'node:fs/promises';
import initWasm from './registry_probe.js';

export * from './registry_probe.js';
export { createConnectorForm } from './session.js';
export { probeRegistry } from './relay.js';

export default async function init(source) {
  const input = source ?? (await readFile(new URL('./registry_probe_bg.wasm', import.meta.url)));
  return initWasm({ module_or_path: input });
}
