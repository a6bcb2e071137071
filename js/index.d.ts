export * from './registry_probe.js';
export type InitSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;
/** Loads the WebAssembly module; call once before any other export. */
export default function init(source?: InitSource | Promise<InitSource>): Promise<unknown>;
