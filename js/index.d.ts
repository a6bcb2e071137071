// The public types of registry-probe: every export and result, no `any`.
import type {
  ConnectorForm, FormCheck, FormOptions, ProbeOptions, ProbeReport, ProbeRequest, UrlCheck, UrlOptions,
} from './registry_probe.js';

// Every type below is generated from the Rust types (tsify); only init() is written by hand.
export type {
  ApiVersion, AuthInput, AuthScheme, CatalogReport, Connector, ConnectorAuth, ConnectorDocument, ConnectorForm,
  ConnectorSpec, Diagnostic, Endpoint, Finding, Fix, FormCheck, FormField, FormFields, FormOptions, PageProtocol,
  Permissions, ProbeOptions, ProbeReport, ProbeRequest, ProbeStep, Provider, ProviderType, Scheme, Severity, Status,
  StepId, StepStatus, TagsReport, UrlCheck, UrlOptions, UsernamePasswordSpec, Verdict,
} from './registry_probe.js';

/** What `init()` can load the module from. */
export type InitSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the WebAssembly module; await it once before calling anything else. Without an argument
 * browsers fetch `registry_probe_bg.wasm` next to this module and Node reads it from disk.
 */
export default function init(source?: InitSource | Promise<InitSource>): Promise<unknown>;

/** Validates and normalizes a Docker registry URL as typed; never throws for bad input. */
export declare function validateRegistryUrl(input: string, options?: UrlOptions): UrlCheck;

/** Validates the whole setup form and returns the connector it would save. */
export declare function validateForm(form: ConnectorForm, options?: FormOptions): FormCheck;

/** Tests the connection from here (browser: under CORS) and explains the result. */
export declare function probeRegistry(request: ProbeRequest, options?: ProbeOptions): Promise<ProbeReport>;
