// Which addresses a server-side probe may connect to. Safe by default: public unicast only.
// The check runs on the address each connection really uses, after DNS (see server.js), so a
// name that resolves to a private address is refused too (no DNS rebinding).
import ipaddr from 'ipaddr.js';
import { isLoopbackHost } from './registry_probe.js';

/** ipaddr.js ranges a probe may reach without being allowed explicitly. */
const PUBLIC = new Set(['unicast']);

/** Parses `text` as an IP address, unwrapping IPv4-mapped and IPv4-compatible IPv6. */
export function parseAddress(text) {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!ipaddr.isValid(bare)) return null;
  let address = ipaddr.parse(bare);
  if (address.kind() === 'ipv6') {
    if (address.isIPv4MappedAddress()) address = address.toIPv4Address();
    else {
      // ::a.b.c.d (IPv4-compatible, deprecated) carries an IPv4 address in its last 32 bits.
      const parts = address.parts;
      if (parts.slice(0, 6).every((p) => p === 0) && (parts[6] !== 0 || parts[7] > 1)) {
        address = ipaddr.fromByteArray(address.toByteArray().slice(12));
      }
    }
  }
  return address;
}

/**
 * The policy of a server-side probe.
 * @param {{ allowHosts?: string[], allowPrivateNetworks?: boolean }} options
 * @returns {{ allowsName(host: string): boolean, allowsAddress(address: string): boolean }}
 */
export function createPolicy(options = {}) {
  const names = new Set();
  const ranges = [];
  if (options.allowHosts !== undefined && !Array.isArray(options.allowHosts)) {
    throw new TypeError('invalid argument: allowHosts must be a list of host names, IP addresses or CIDR ranges');
  }
  for (const [index, entry] of (options.allowHosts ?? []).entries()) {
    const text = String(entry).trim().toLowerCase();
    if (!text) throw new TypeError(`invalid argument: allowHosts[${index}] is empty`);
    if (text.includes('/')) {
      try {
        ranges.push(ipaddr.parseCIDR(text.replace(/^\[|\](?=\/)/g, '')));
      } catch {
        throw new TypeError(`invalid argument: allowHosts[${index}] is not a CIDR range such as 10.20.0.0/16`);
      }
    } else if (parseAddress(text)) ranges.push([parseAddress(text), parseAddress(text).kind() === 'ipv4' ? 32 : 128]);
    else names.add(text.replace(/\.$/, ''));
  }
  const inAllowedRange = (address) => ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
  return {
    /**
     * A host name (not an address) before DNS: a loopback name (`localhost`, `*.localhost`, by
     * the core's rule) only if allowed. Needs the engine loaded (init()), as the handler has it.
     */
    allowsName(host) {
      const name = host.toLowerCase().replace(/\.$/, '');
      if (names.has(name)) return true;
      return !isLoopbackHost(name);
    },
    /** An address a connection would use. */
    allowsAddress(text) {
      const address = parseAddress(text);
      if (!address) return false;
      if (inAllowedRange(address)) return true;
      const range = address.range();
      if (PUBLIC.has(range)) return true;
      return Boolean(options.allowPrivateNetworks) && ['private', 'uniqueLocal', 'carrierGradeNat'].includes(range);
    },
    /** Whether `host` was allowed by name (then any address it resolves to is allowed). */
    allowedByName(host) {
      return names.has(host.toLowerCase().replace(/\.$/, ''));
    },
  };
}
