// Egress proxies for Node, the CLI and the console's server: the usual variables (HTTPS_PROXY /
// https_proxy for https, HTTP_PROXY / http_proxy for http, NO_PROXY / no_proxy) or an explicit
// `proxy` URL that overrides them, through undici's own EnvHttpProxyAgent and ProxyAgent (every
// request tunnelled with CONNECT, plain http too, as undici does). What a proxy answers is named
// here, in one place, as error codes the core turns into findings; the proxy's credentials (its
// URL's user info, sent as Basic) appear in no message.
import { Agent, EnvHttpProxyAgent, Pool } from 'undici';

/** `scheme://host:port` of a proxy URL: never its credentials. */
export function proxyOrigin(text) {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'the proxy';
  }
}

/**
 * The proxy settings in force, for undici's EnvHttpProxyAgent: an explicit `proxy` URL (for
 * http and https, no exceptions), else the variables; null when no proxy applies.
 */
export function proxySettings(proxy, env = process.env) {
  if (proxy !== undefined && proxy !== null) {
    let url;
    try {
      url = new URL(proxy);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new TypeError('invalid argument: proxy must be an http:// or https:// URL such as http://proxy.example:3128');
    }
    return { httpProxy: url.href, httpsProxy: url.href, noProxy: '' };
  }
  const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY ?? '';
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY ?? '';
  if (!httpsProxy && !httpProxy) return null;
  return { httpProxy, httpsProxy, noProxy: env.no_proxy ?? env.NO_PROXY ?? '' };
}

function named(code, message, cause) {
  const error = new Error(message, cause ? { cause } : undefined);
  error.code = code;
  return error;
}

/** `[host, port]` of a CONNECT target (`host:port`, `[v6]:port`). */
function hostAndPort(target) {
  const at = target.lastIndexOf(':');
  return [target.slice(0, at).replace(/^\[|\]$/g, ''), Number(target.slice(at + 1))];
}

/**
 * A factory of pools to the proxy whose CONNECT first asks `beforeTunnel(host, port)` (the
 * server's address policy; it throws to refuse) and names what the proxy answers:
 * ERR_PROXY_UNREACHABLE, ERR_PROXY_AUTH_REQUIRED, ERR_PROXY_AUTH_UNSUPPORTED, ERR_PROXY_REFUSED.
 * `tunnels` records each `host:port` tunnelled, with the proxy's origin.
 */
function checkedProxyPools(beforeTunnel, tunnels) {
  return (proxyUrl, options) => {
    const origin = proxyOrigin(String(proxyUrl));
    class ProxyPool extends Pool {
      async connect(opts) {
        const [host, port] = hostAndPort(opts.path);
        await beforeTunnel(host, port);
        let answer;
        try {
          answer = await super.connect(opts);
        } catch (error) {
          if (error?.name === 'AbortError' || error?.code === 'UND_ERR_ABORTED') throw error;
          throw named('ERR_PROXY_UNREACHABLE', origin, error);
        }
        if (answer.statusCode === 200) {
          tunnels.set(`${host}:${port}`, origin);
          return answer;
        }
        answer.socket.destroy();
        // 407 asks for credentials; a 401 to CONNECT can only be about the proxy's credentials
        // too (tinyproxy 1.11 answers wrong ones so, with WWW-Authenticate).
        if (answer.statusCode === 407 || answer.statusCode === 401) {
          const offered = [answer.headers?.['proxy-authenticate'] ?? answer.headers?.['www-authenticate'] ?? ''].flat().join(', ');
          const schemes = offered.split(',').map((c) => c.trim().split(/\s+/)[0]).filter(Boolean);
          if (schemes.length && !schemes.some((s) => /^basic$/i.test(s))) {
            throw named('ERR_PROXY_AUTH_UNSUPPORTED', `${origin} (${schemes.join(', ')})`);
          }
          throw named('ERR_PROXY_AUTH_REQUIRED', origin);
        }
        throw named('ERR_PROXY_REFUSED', `${origin} (${answer.statusCode})`);
      }
    }
    return new ProxyPool(proxyUrl, options);
  };
}

/**
 * A dispatcher for `settings` (from {@link proxySettings}), or a plain Agent when null.
 * `connect`: the direct connections' connector (the server's policy connector), `tls`: TLS
 * options to registries (a `ca`), `beforeTunnel`: the check before the proxy is asked for a host.
 * Returns `{ dispatcher, proxiedVia(url) }`: which proxy, if any, a URL's connection went through.
 */
export function createDispatcher(settings, { connect, tls = {}, beforeTunnel = async () => {} } = {}) {
  const tunnels = new Map();
  const direct = connect ?? tls;
  if (!settings) return { dispatcher: new Agent({ connect: direct }), proxiedVia: () => null };
  const dispatcher = new EnvHttpProxyAgent({
    ...settings,
    connect: direct,
    requestTls: tls,
    clientFactory: checkedProxyPools(beforeTunnel, tunnels),
  });
  const proxiedVia = (url) => {
    const { hostname, port, protocol } = new URL(url);
    return tunnels.get(`${hostname.replace(/^\[|\]$/g, '')}:${port || (protocol === 'https:' ? 443 : 80)}`) ?? null;
  };
  return { dispatcher, proxiedVia };
}
