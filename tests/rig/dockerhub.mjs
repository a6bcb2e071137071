// Docker Hub's personality: its registry (index.docker.io, registry-1.docker.io,
// registry.hub.docker.com) and its token service (auth.docker.io) on loopback, answering as the
// public record says they do (../../../shared/providers.md §1, cited beside each answer), never
// as we would expect. `hubFetch` sends the real host names here, so the probe sees Hub's URLs.
import { createServer } from 'node:http';

const API_HOSTS = ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'];
const REALM = 'https://auth.docker.io/token';
const SERVICE = 'registry.docker.io';
/** Public repositories and their tags; `private` needs the account. */
const REPOSITORIES = { 'library/alpine': ['latest', '3.20'], 'acme/private': ['v1'] };
const ACCOUNT = { username: 'hub-user', password: 'hub-PASSWORD-1e0c' };

/** The real fetch, captured before any test replaces the global one with {@link startDockerHub}'s. */
const send = globalThis.fetch;
const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function listen(handler) {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Starts the personality; returns `{ fetch, account, hosts, tokens(), stop(), log }`. */
export async function startDockerHub() {
  const issued = new Map(); // token → granted access list
  const log = [];
  const json = (res, status, value, headers = {}) => {
    const body = JSON.stringify(value);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  const registryHeaders = { 'Docker-Distribution-Api-Version': 'registry/2.0', 'Strict-Transport-Security': 'max-age=31536000' };
  const unauthorized = (res, scope, error, detail = null) => {
    // §1.1/§1.4: 401, Bearer challenge naming auth.docker.io; on resources with scope (and
    // error="insufficient_scope" when a token lacked it); the OCI envelope with detail.
    let challenge = `Bearer realm="${REALM}",service="${SERVICE}"`;
    if (scope) challenge += `,scope="${scope}"`;
    if (error) challenge += `,error="${error}"`;
    json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail }] }, { ...registryHeaders, 'WWW-Authenticate': challenge });
  };

  const registry = await listen((req, res) => {
    const url = new URL(req.url, 'http://hub');
    log.push(`${req.method} registry ${url.pathname}`);
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const access = issued.get(token);
    const may = (name, action) => access?.some((a) => a.type === 'repository' && a.name === name && a.actions.includes(action));
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      // §1.1: 401 without a token (no scope on /v2/); with any token Hub answers 200.
      if (!access) return unauthorized(res, null, null);
      return json(res, 200, {}, registryHeaders);
    }
    if (url.pathname.startsWith('/v1/')) {
      // §1.10: the v1 registry API is retired; /v1/ answers 404.
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('404 page not found\n');
    }
    if (url.pathname === '/v2/_catalog') {
      // §1.3: no catalog; 401 with the catalog scope, insufficient_scope even with a token.
      const detail = [{ Type: 'registry', Class: '', Name: 'catalog', Action: '*' }];
      return unauthorized(res, 'registry:catalog:*', access ? 'insufficient_scope' : null, access ? detail : null);
    }
    const tags = url.pathname.match(/^\/v2\/(.+)\/tags\/list$/);
    if (tags) {
      const name = tags[1];
      // §1.4: allowed → 200 {name, tags}; denied or unknown → 401 insufficient_scope, never 403/404.
      if (!may(name, 'pull') || !REPOSITORIES[name]) {
        return unauthorized(res, `repository:${name}:pull`, 'insufficient_scope', [{ Type: 'repository', Class: '', Name: name, Action: 'pull' }]);
      }
      return json(res, 200, { name, tags: REPOSITORIES[name] }, registryHeaders);
    }
    const manifest = url.pathname.match(/^\/v2\/(.+)\/manifests\/([^/]+)$/);
    if (manifest) {
      const [, name, tag] = manifest;
      if (!may(name, 'pull') || !REPOSITORIES[name]) {
        return unauthorized(res, `repository:${name}:pull`, 'insufficient_scope', [{ Type: 'repository', Class: '', Name: name, Action: 'pull' }]);
      }
      if (!REPOSITORIES[name].includes(tag)) {
        // §1.5: a missing tag is 404 with no body on HEAD.
        res.writeHead(404, registryHeaders);
        return res.end();
      }
      // §1.5: 200 with the digest, an OCI index type and the rate-limit headers (2026 drift: w=3600).
      const digest = `sha256:${'a'.repeat(64)}`;
      res.writeHead(200, {
        ...registryHeaders, 'Content-Type': 'application/vnd.oci.image.index.v1+json', 'Content-Length': '9125',
        'Docker-Content-Digest': digest, ETag: `"${digest}"`,
        'RateLimit-Limit': '100;w=3600', 'RateLimit-Remaining': '98;w=3600', 'Docker-RateLimit-Source': '198.51.100.7',
      });
      return res.end();
    }
    return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found', detail: null }] }, registryHeaders);
  });

  const auth = await listen((req, res) => {
    const url = new URL(req.url, 'http://auth');
    log.push(`${req.method} auth ${url.pathname}?${url.searchParams}`);
    if (url.pathname !== '/token') return json(res, 404, { details: 'not found' });
    const basic = (req.headers.authorization ?? '').match(/^Basic (.+)$/);
    let user = null;
    if (basic) {
      const [name, ...rest] = Buffer.from(basic[1], 'base64').toString().split(':');
      // §1.2: a bad password is 401 with {"details": …}, not the OCI envelope.
      if (name !== ACCOUNT.username || rest.join(':') !== ACCOUNT.password) return json(res, 401, { details: 'incorrect username or password' });
      user = name;
    }
    // §1.2: Hub always issues a token; what it grants is only what the caller may do: public
    // repositories' pull for anyone, private ones for their account, never the catalog, and
    // nothing for an unprefixed official image (`alpine` for `library/alpine`).
    const access = url.searchParams.getAll('scope').flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      if (type !== 'repository' || !REPOSITORIES[name]) return [];
      if (name.startsWith('acme/') && user !== ACCOUNT.username) return [];
      return [{ type, name, actions: actions.split(',').filter((a) => a === 'pull') }];
    });
    const token = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ iss: 'auth.docker.io', aud: SERVICE, sub: user ?? '', access, exp: Math.floor(Date.now() / 1000) + 300 })}.c2lnbmF0dXJl${issued.size}`;
    issued.set(token, access);
    // §1.2: all four keys.
    return json(res, 200, { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }, { 'Content-Type': 'application/json' });
  });

  const ports = { registry: registry.address().port, auth: auth.address().port };
  /** A fetch that sends Docker Hub's hosts to this personality (https → http on loopback). */
  const fetchHub = (request) => {
    const url = new URL(request.url);
    const port = API_HOSTS.includes(url.hostname) ? ports.registry : url.hostname === 'auth.docker.io' ? ports.auth : null;
    if (!port || url.protocol !== 'https:') return Promise.reject(new TypeError(`fetch failed: ${url.host} is not Docker Hub`));
    const target = `http://127.0.0.1:${port}${url.pathname}${url.search}`;
    return send(target, { method: request.method, headers: request.headers, redirect: request.redirect, signal: request.signal });
  };
  return {
    fetch: fetchHub,
    account: ACCOUNT,
    hosts: [...API_HOSTS, 'auth.docker.io'],
    tokens: () => [...issued.keys()],
    log,
    stop: () => Promise.all([registry, auth].map((s) => new Promise((resolve) => s.close(resolve)))),
  };
}
