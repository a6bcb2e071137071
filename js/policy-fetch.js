// The server's connections: a fetch that enforces the address policy (policy.js), and the proof
// that it is in force on this runtime. Every connection of a probe (registry, token realm,
// Link pages, redirects) goes through a connector that resolves the name, checks each address
// against the policy (policy.js) and connects to the checked address, so a name that resolves to
// a private address is refused and DNS rebinding cannot slip past the check. The mechanism is
// undici's own (Agent + buildConnector) driven by undici's own fetch, captured once here: a
// runtime's global fetch may ignore a dispatcher (Deno's, Bun's) and a wrapper installed later
// (an APM agent, a framework's fetch patch) may drop it. Fail closed: before the first probe the
// handler proves, with a local sentinel, that a connection the connector refuses never arrives.
import { lookup as dnsLookup } from 'node:dns';
import { createServer as createTcpServer, isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { buildConnector } from 'undici';
import { fetchVia } from './dispatch-fetch.js';
import { createDispatcher, proxySettings } from './proxy.js';
import { createPolicy } from './policy.js';
import { withCertificateDates } from './certificate.js';

const REFUSED = 'ERR_ADDRESS_NOT_ALLOWED';
/** Where the proof's sentinel listens (an address every policy must let the guard refuse). */
const SENTINEL_HOST = '127.0.0.1';

function refused(host) {
  const error = new Error(host);
  error.code = REFUSED;
  return error;
}

/** The runtime this module runs on, as a user would name it. */
export function runtimeName() {
  if (globalThis.Bun) return `Bun ${globalThis.Bun.version}`;
  if (globalThis.Deno) return `Deno ${globalThis.Deno.version?.deno}`;
  return `Node ${process.version}`;
}

/** Name lookup failures that mean "this name does not resolve here". */
const NOT_FOUND = new Set(['ENOTFOUND', 'EAI_NONAME', 'EAI_NODATA', 'EAI_AGAIN']);

/**
 * A fetch whose every connection is checked against `policy`, resolving names with `lookup`
 * (`dns.lookup`'s signature, called with `{ all: true }`). `guard.refuses(host, port)`, when
 * given, refuses one more target (the handler's proof sentinel). Behind an egress proxy
 * (`proxy`: proxy.js's settings, null for none) the policy decides before the proxy is asked for
 * a host: the name, then every address it resolves to here must be allowed (the proxy resolves
 * it again itself); a name that does not resolve here goes to the proxy only with
 * `proxyResolves`.
 */
export function createPolicyFetch(policy, lookup = dnsLookup, tls = {}, guard = { refuses: () => false }, proxy = null, proxyResolves = false) {
  const connectBase = buildConnector(tls);
  const resolveAll = (host) => new Promise((resolve, reject) => lookup(host, { all: true }, (error, addresses) => (
    error ? reject(error) : resolve(Array.isArray(addresses) ? addresses : [{ address: addresses }]))));
  /** The address a connection to `host` may use, after DNS and the policy. */
  const allowedAddress = (host) => new Promise((resolve, reject) => {
    if (isIP(host)) return policy.allowsAddress(host) ? resolve(host) : reject(refused(host));
    if (!policy.allowsName(host)) return reject(refused(host));
    return lookup(host, { all: true }, (error, addresses) => {
      if (error) return reject(error);
      const list = Array.isArray(addresses) ? addresses : [{ address: addresses }];
      const allowed = policy.allowedByName(host) ? list : list.filter((a) => policy.allowsAddress(a.address));
      return allowed.length ? resolve(allowed[0].address) : reject(refused(host));
    });
  });
  const connect = (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    if (guard.refuses(host, Number(options.port))) return callback(refused(host), null);
    return allowedAddress(host).then((address) => {
      // Connect to the address just checked; TLS still verifies the certificate for the name.
      const servername = options.servername || (isIP(host) ? undefined : host);
      connectBase({ ...options, hostname: address, servername }, callback);
    }, (error) => callback(error, null));
  };
  /** Before the proxy is asked for `host:port`: the same refusals as without a proxy. */
  const beforeTunnel = async (host, port) => {
    if (guard.refuses(host, port)) throw refused(host);
    if (isIP(host)) {
      if (!policy.allowsAddress(host)) throw refused(host);
      return;
    }
    if (!policy.allowsName(host)) throw refused(host);
    if (policy.allowedByName(host)) return;
    let addresses;
    try {
      addresses = await resolveAll(host);
    } catch (error) {
      if (!NOT_FOUND.has(error?.code)) throw error;
      if (proxyResolves) return; // the operator says only the proxy resolves names here
      throw Object.assign(new Error(host, { cause: error }), { code: 'ERR_PROXY_NAME_UNRESOLVED' });
    }
    if (!addresses.length || !addresses.every((a) => policy.allowsAddress(a.address))) throw refused(host);
  };
  const { dispatcher, proxiedVia } = createDispatcher(proxy, { connect, tls, beforeTunnel });
  // The dates of an expired certificate are read from the address the policy allows, too; never
  // behind a proxy (that handshake would bypass it).
  return withCertificateDates(fetchVia(dispatcher, proxiedVia), allowedAddress, (url) => Boolean(proxiedVia(url)));
}

/** Whether `error` or one of its causes carries `code`. */
function hasCode(error, code) {
  for (let e = error, depth = 0; e && depth < 8; e = e.cause, depth++) if (e.code === code) return true;
  return false;
}

/**
 * Proves that `probeFetch` applies its connector: a fetch to a local sentinel that the guard
 * refuses must fail with the policy's refusal, and no connection may arrive at the sentinel.
 * Rejects with an error naming the runtime and what to do otherwise.
 */
async function proveRefusal(probeFetch, guard) {
  let arrived = 0;
  const sentinel = createTcpServer((socket) => { arrived++; socket.destroy(); });
  await new Promise((resolve, reject) => sentinel.once('error', reject).listen(0, SENTINEL_HOST, resolve));
  const { port } = sentinel.address();
  guard.refuses = (host, p) => host === SENTINEL_HOST && p === port;
  let refusedByPolicy = false;
  try {
    await probeFetch(new Request(`http://${SENTINEL_HOST}:${port}/registry-probe-policy-check`, { signal: AbortSignal.timeout(5000) }));
  } catch (error) {
    refusedByPolicy = hasCode(error, REFUSED);
  } finally {
    guard.refuses = () => false;
    await new Promise((resolve) => sentinel.close(resolve));
  }
  if (refusedByPolicy && arrived === 0) return;
  throw new Error(`registry-probe/server: the address policy is not in force on ${runtimeName()} (its fetch `
    + 'ignores the connection check), so no probe is run. Run the server on Node 20+ or Deno 2, or pass '
    + 'createProbeHandler({ policyFetch }) with a fetch that enforces the address policy itself.');
}

const POLICY_OPTIONS = ['allowHosts', 'allowPrivateNetworks', 'lookup', 'ca', 'proxy', 'proxyResolves'];

/** The probe's fetch and the proof that it enforces the policy (or the caller's `policyFetch`). */
export function probeFetchOf(options) {
  if (options.policyFetch !== undefined) {
    if (typeof options.policyFetch !== 'function') throw new TypeError('invalid argument: policyFetch must be a function');
    const clash = POLICY_OPTIONS.filter((name) => options[name] !== undefined);
    if (clash.length) {
      throw new TypeError(`invalid argument: policyFetch enforces the policy itself; give ${clash.join(', ')} to it, not to the handler`);
    }
    const fetchFn = options.policyFetch; // captured once: vouched for by the caller
    return { probeFetch: (request) => fetchFn(request), proof: Promise.resolve() };
  }
  const policy = createPolicy(options);
  const tls = options.ca ? { ca: [...rootCertificates, ...[options.ca].flat()] } : {};
  const guard = { refuses: () => false };
  const proxy = proxySettings(options.proxy);
  const probeFetch = createPolicyFetch(policy, options.lookup ?? dnsLookup, tls, guard, proxy, Boolean(options.proxyResolves));
  return { probeFetch, proof: proveRefusal(probeFetch, guard) };
}
