// The public types of registry-probe: every export and result, no `any`.
import type {
  ConnectorForm, FormCheck, ProbeReport, ProbeStep,
} from './registry_probe.js';

// Every type below is generated from the Rust types (tsify); only init() is written by hand.
export type {
  ApiVersion, AuthInput, AuthScheme, CatalogReport, Connector, ConnectorAuth, ConnectorDocument, ConnectorForm,
  ConnectorSpec, Diagnostic, Endpoint, Finding, Fix, FormCheck, FormField, FormFields, FormOptions, PageProtocol,
  Permissions, ProbeOptions, RanFrom, ProbeReport, ProbeRequest, ProbeStep, Provider, ProviderType, RateLimit, Scheme,
  Severity, Snippet, Status, StepId, StepStatus, TagsReport, TraceEntry, UrlCheck, UrlOptions, UsernamePasswordSpec,
  Verdict,
} from './registry_probe.js';

/** What `init()` can load the module from. */
export type InitSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the WebAssembly module; await it once before calling anything else. Without an argument
 * browsers fetch `registry_probe_bg.wasm` next to this module and Node reads it from disk.
 */
export default function init(source?: InitSource | Promise<InitSource>): Promise<unknown>;

// Declared once, where they are generated from the Rust exports (src/web/facade.rs, with
// ProbeOptions): validateRegistryUrl, validateForm, probeRegistry (in Node with `ca` and `proxy`),
// checkProbeRequest (throws as probeRegistry would), stepOrder, isLoopbackHost.
export {
  checkProbeRequest, isLoopbackHost, probeRegistry, stepOrder, validateForm, validateRegistryUrl,
} from './registry_probe.js';

/** Options of {@link createConnectorForm}. */
export interface ConnectorFormOptions {
  /** Pause after the last URL change before the quiet ping (ms), default 400. */
  pingDelayMs?: number;
  /** The page's protocol for the mixed-content warning; default `location.protocol` where there is one. */
  pageProtocol?: "https:" | "http:";
  /** Identifiers already taken. */
  existingIdentifiers?: string[];
  /** A console's own templates by code, for diagnostics, findings, fixes and summaries. */
  messages?: Record<string, string>;
  /** Per-request timeout of the ping and the test (ms), default 8000. */
  timeoutMs?: number;
  /** The console's server-side probe, as `probeRegistry`'s `relay` option. */
  relay?: { url: string; mode?: "fallback" | "always" };
  /** Ping a changed, valid URL after `pingDelayMs` (default true). */
  autoPing?: boolean;
}

/** Everything a form renders; a new object on every change. */
export interface ConnectorFormState {
  /** The last validation, or `null` before the first `update`. */
  check: FormCheck | null;
  /** The quiet ping: `report` always belongs to `url`, the current endpoint's URL. */
  ping: { status: "idle" | "waiting" | "running" | "done"; url: string | null; report: ProbeReport | null };
  /** Test connection: its steps as they change, then the report. */
  test: { status: "idle" | "running" | "done" | "cancelled"; steps: ProbeStep[]; report: ProbeReport | null };
}

/** The behaviour of one connector form; see {@link createConnectorForm}. */
export interface ConnectorFormSession {
  /** Validates `form` at once; pings a changed valid URL after a pause (a newer update cancels it). */
  update(form: ConnectorForm): FormCheck;
  /** The full probe for the current form; a newer `test()` or `cancel()` rejects this one with an `AbortError`. */
  test(input?: { password?: string; repository?: string }): Promise<ProbeReport>;
  /** Cancels a running test. */
  cancel(): void;
  /** Cancels everything; any later call throws. */
  dispose(): void;
  /** Calls `listener` with every new state, in order; returns the unsubscribe function. */
  subscribe(listener: (state: ConnectorFormState) => void): () => void;
  /** The current state (the same object until something changes). */
  readonly state: ConnectorFormState;
}

/**
 * The form's behaviour in the package: validation, the quiet ping, Test connection, and every
 * race between them (newest wins, nothing stale lands). No DOM: pages, workers and Node.
 */
export declare function createConnectorForm(options?: ConnectorFormOptions): ConnectorFormSession;
