// registry-probe/server (Node 20+): the probe as an HTTP endpoint the console hosts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LookupAddress, LookupAllOptions } from 'node:dns';

/** Options of {@link createProbeHandler}. */
export interface ProbeHandlerOptions {
  /** Host names, IP literals and CIDR ranges a probe may reach although they are not public. */
  allowHosts?: string[];
  /** Let probes reach RFC 1918, unique-local and CGNAT addresses (default false). */
  allowPrivateNetworks?: boolean;
  /** Probes running at once; more are answered 429 (default 8). */
  maxConcurrent?: number;
  /** Largest request body (default 16 KiB); larger is 413. */
  maxBodyBytes?: number;
  /** Per-request timeout of the probe (ms) when the request gives none. */
  timeoutMs?: number;
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
}

/**
 * A fetch-style handler: `POST` a JSON `ProbeRequest` and get the `ProbeReport`, or with
 * `Accept: application/x-ndjson` one `{"step": …}` line per step change and then `{"report": …}`.
 * Every connection is checked against the policy after DNS: by default only public unicast.
 */
export declare function createProbeHandler(options?: ProbeHandlerOptions): ProbeHandler;

/** The handler as a Node listener for `http.createServer` or Express. */
export declare function toNodeListener(handler: (request: Request) => Promise<Response>): (req: IncomingMessage, res: ServerResponse) => void;
