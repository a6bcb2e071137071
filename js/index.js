// Browser and bundler entry: the generated module, with init() taking any source directly.
import initWasm from './registry_probe.js';

export * from './registry_probe.js';
export { createConnectorForm } from './session.js';
export { probeRegistry } from './relay.js';

/**
 * Loads the WebAssembly module. With no argument it fetches registry_probe_bg.wasm next to
 * this file; it also accepts a URL, a Response, bytes or a compiled WebAssembly.Module.
 */
export default function init(source) {
  return initWasm(source === undefined ? undefined : { module_or_path: source });
}
