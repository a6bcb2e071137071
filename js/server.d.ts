// registry-probe/server (Node 20+): the probe as an HTTP endpoint the console hosts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LookupAddress, LookupAllOptions } from 'node:dns';

/** Options of {@link createProbeHandler}. */
export interface ProbeHandlerOptions {
  /** Host names, IP literals and CIDR ranges a probe may reach although they are not public. */
  allowHosts?: string[];
  /** Let probes reach RFC 1918, unique-local and CGNAT addresses (default false). */
  allowPrivateNetworks?: boolean;
  /** Probes running at once (default 8); more wait in the queue. */
  maxConcurrent?: number;
  /** Requests waiting for a slot at most (default 32); past it, 429 with `Retry-After`. 0: no queue. */
  maxQueued?: number;
  /** How long a request waits in the queue at most (ms, default 10 000); then 429 with `Retry-After`. */
  queueTimeoutMs?: number;
  /** A client's key (an account, an IP address) for `maxPerClient`; default: no key, no per-client limit. */
  clientKey?: (request: Request) => string | undefined;
  /** Probes one client key may have running or waiting at once; more are answered 429. */
  maxPerClient?: number;
  /** Largest request body (default 16 KiB); larger is 413. */
  maxBodyBytes?: number;
  /** The body must arrive within this many ms (default 5 000); else 408. */
  bodyTimeoutMs?: number;
  /**
   * Per-request timeout of a probe (ms, default 8 000): the default when the client gives none
   * (or 0), and the ceiling when it asks for more.
   */
  timeoutMs?: number;
  /** The whole probe's time limit (ms, default 30 000): it then reports what it confirmed (`probe-deadline`). */
  maxProbeMs?: number;
  /** Catalog pages a probe reads at most (default 10): the default and the ceiling of the client's `maxCatalogPages`. */
  maxCatalogPages?: number;
  /**
   * An egress proxy for every request (`http://[user:password@]proxy.example:3128`); default: the
   * HTTPS_PROXY / HTTP_PROXY / NO_PROXY variables. The address policy still decides first: the
   * name, and every address it resolves to on this server, must be allowed before the proxy is
   * asked for the name. The proxy's own address is the operator's choice, not the policy's.
   */
  proxy?: string;
  /**
   * Pass a name that does not resolve on this server to the proxy (networks where only the proxy
   * resolves names); the policy then checks the name only. Default false: `proxy-name-unresolved`.
   */
  proxyResolves?: boolean;
  /** Where failures no client caused are logged, without secrets (default `console.error`). */
  log?: (message: string) => void;
  /** Extra trusted certificates (PEM) for internal registries, beside the system's roots. */
  ca?: string | string[];
  /** How names are resolved (default `dns.lookup`, called with `{ all: true }`). */
  lookup?: (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;
  /**
   * A fetch you provide and vouch for: it enforces the address policy itself (for a runtime
   * where the handler cannot, such as Bun). The handler then applies no policy of its own and
   * makes no connection of its own; `allowHosts`, `allowPrivateNetworks`, `lookup` and `ca` are
   * argument errors beside it. A refused address should reject with an error whose `cause.code`
   * is `"ERR_ADDRESS_NOT_ALLOWED"`: the report then names it `address-not-allowed`.
   */
  policyFetch?: (request: Request) => Promise<Response>;
}

/** Each limit option's `[default, min, max]` (what `serve`'s flags accept too). */
export declare const HANDLER_LIMITS: Readonly<Record<'maxConcurrent' | 'maxQueued' | 'queueTimeoutMs' | 'maxBodyBytes'
  | 'bodyTimeoutMs' | 'timeoutMs' | 'maxProbeMs' | 'maxCatalogPages', readonly [number, number, number]>>;

/** The handler, and whether the address policy is in force. */
export interface ProbeHandler {
  (request: Request): Promise<Response>;
  /**
   * Resolves once the handler has proven its address policy in force (a connection the policy
   * refuses, to a local sentinel, never arrives) and loaded the engine; rejects with an error
   * naming the runtime and what to do where it cannot. Until it settles requests wait; after a
   * rejection every request is answered 500 and nothing is probed.
   */
  readonly ready: Promise<void>;
  /** Probes running and requests waiting for a slot, now. */
  readonly load: { running: number; queued: number };
}

/**
 * A fetch-style handler: `POST` a JSON `ProbeRequest` and get the `ProbeReport`, or with
 * `Accept: application/x-ndjson` one `{"step": …}` line per step change and then `{"report": …}`.
 * Every connection is checked against the policy after DNS: by default only public unicast.
 */
export declare function createProbeHandler(options?: ProbeHandlerOptions): ProbeHandler;

/** The handler as a Node listener for `http.createServer` or Express. */
export declare function toNodeListener(handler: (request: Request) => Promise<Response>): (req: IncomingMessage, res: ServerResponse) => void;
