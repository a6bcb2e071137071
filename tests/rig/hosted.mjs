// Hosted registries' personalities on loopback, each answering as the public record says it does
// (../../../shared/providers.md, section cited beside each answer; its summary table §11 too),
// never as we would expect: GHCR, Quay.io, GitLab.com, Harbor, ECR (private) and Nexus 3.
// `fetch` sends each provider's real host names here (https → http on loopback), so the probe
// sees their URLs. Every personality has a public repository `acme/public` (tag `latest`), a
// private one `acme/private`, and one account.
import { createServer } from 'node:http';

export const ACCOUNT = { username: 'ci-user', password: 'hosted-PASSWORD-77a1' };
const send = globalThis.fetch; // captured before a test may replace the global one
const REPOSITORIES = ['acme/public', 'acme/private'];
const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The bearer flavours: where each one's realm is, what its token service answers. */
const PERSONALITIES = {
  // §2: 401 JSON without detail; realm ghcr.io/token; the token endpoint denies an anonymous
  // private repository with 403 DENIED; no catalog (GHCR has none usable, §2.3).
  ghcr: {
    host: 'ghcr.io', realm: 'https://ghcr.io/token', service: 'ghcr.io', tokenKey: 'token',
    ping: { type: 'application/json', body: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}' },
    anonymousPrivate: 'token-403', wrongPassword: 'token-401', catalog: 'deny',
  },
  // §3: 401 with body `true` as text/html (§3.1); a scope-less anonymous token is 401 and an
  // anonymous private scope is down-scoped with 200 (§3.2); the catalog scope is 400 (§3.2);
  // anonymous catalog 200 [] (§3.3); denied tags 401 (§3.4).
  quay: {
    host: 'quay.io', realm: 'https://quay.io/v2/auth', service: 'quay.io', tokenKey: 'token',
    ping: { type: 'text/html; charset=utf-8', body: 'true' },
    anonymousScopeless: 401, anonymousPrivate: 'downscope', wrongPassword: 'token-401', catalog: 'quay',
  },
  // §8: realm gitlab.com/jwt/auth, service container_registry; anonymous private → 403 DENIED at
  // the token endpoint; a scope-less anonymous token is refused (403); catalog admin-only.
  gitlab: {
    host: 'registry.gitlab.com', realm: 'https://gitlab.com/jwt/auth', service: 'container_registry', tokenKey: 'token',
    ping: { type: 'application/json', body: '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}' },
    anonymousScopeless: 403, anonymousPrivate: 'token-403', wrongPassword: 'token-401', catalog: 'deny',
  },
  // §7: realm <host>/service/token, service harbor-registry; tokens are issued even for a wrong
  // password (granting nothing) and anonymous scope-less requests are 401; catalog sysadmin only.
  harbor: {
    host: 'harbor.acme.example', realm: 'https://harbor.acme.example/service/token', service: 'harbor-registry', tokenKey: 'token',
    ping: { type: 'application/json', body: '{"errors":[{"code":"UNAUTHORIZED","message":"unauthorized: unauthorized"}]}' },
    anonymousScopeless: 401, anonymousPrivate: 'downscope', wrongPassword: 'downscope', catalog: 'deny',
  },
};

/** Basic flavours: ECR private (§4a: 401 text/plain "Not Authorized", Basic realm = the registry URL) and Nexus 3 (§10: `BASIC realm=…`, upper case). */
const BASIC = {
  ecr: { host: '123456789012.dkr.ecr.us-east-1.amazonaws.com', challenge: 'Basic realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"', type: 'text/plain; charset=utf-8', body: 'Not Authorized\n', anonymousPublic: false },
  nexus: { host: 'nexus.acme.example', challenge: 'BASIC realm="Sonatype Nexus Repository Manager"', type: 'application/json', body: '{"errors":[{"code":"UNAUTHORIZED","message":"access to the requested resource is not authorized","detail":null}]}', anonymousPublic: false },
};

/** Which personality a host is. */
function personalityOf(host) {
  for (const [name, p] of Object.entries(PERSONALITIES)) if (host === p.host || host === new URL(p.realm).host) return [name, p];
  for (const [name, p] of Object.entries(BASIC)) if (host === p.host) return [name, { ...p, basic: true }];
  return [null, null];
}

/** Starts every personality on one loopback server; returns `{ fetch, log, stop() }`. */
export async function startHosted() {
  const issued = new Map(); // token → { user, access }
  const log = [];
  const json = (res, status, value, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0', ...headers });
    res.end(typeof value === 'string' ? value : JSON.stringify(value));
  };
  const basicUser = (req) => {
    const m = (req.headers.authorization ?? '').match(/^Basic (.+)$/i);
    if (!m) return undefined;
    const [user, ...rest] = Buffer.from(m[1], 'base64').toString().split(':');
    return user === ACCOUNT.username && rest.join(':') === ACCOUNT.password ? user : null; // null: wrong
  };
  const server = createServer((req, res) => {
    const host = req.headers['x-hosted-host'];
    const url = new URL(req.url, 'http://hosted');
    const [name, p] = personalityOf(host);
    log.push(`${req.method} ${host}${url.pathname}${url.search}`);
    if (!p) return json(res, 404, { errors: [{ code: 'NOT_FOUND' }] });
    if (p.basic) {
      const user = basicUser(req);
      if (!user) {
        res.writeHead(401, { 'Content-Type': p.type, 'WWW-Authenticate': p.challenge, 'Docker-Distribution-Api-Version': 'registry/2.0' });
        return res.end(p.body);
      }
      if (url.pathname === '/v2/') return json(res, 200, '{}');
      if (url.pathname === '/v2/_catalog') return json(res, 200, { repositories: REPOSITORIES });
      const tags = url.pathname.match(/^\/v2\/(.+)\/tags\/list$/);
      if (tags) return json(res, 200, { name: tags[1], tags: ['latest'] });
      res.writeHead(200, { 'Docker-Content-Digest': `sha256:${'b'.repeat(64)}`, 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
      return res.end();
    }
    const realmUrl = new URL(p.realm);
    if (host === realmUrl.host && url.pathname === realmUrl.pathname) {
      const user = basicUser(req);
      const scopes = url.searchParams.getAll('scope');
      if (user === null && p.wrongPassword === 'token-401') return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid credentials' }] });
      if (user === undefined && scopes.length === 0 && p.anonymousScopeless) return json(res, p.anonymousScopeless, { errors: [{ code: p.anonymousScopeless === 403 ? 'DENIED' : 'UNAUTHORIZED', message: 'access forbidden' }] });
      if (name === 'quay' && scopes.some((s) => s.startsWith('registry:'))) {
        return json(res, 400, { errors: [{ code: 'INVALID_REQUEST', message: `Unable to decode repository and actions: ${scopes[0]}`, detail: {} }] });
      }
      const access = [];
      for (const scope of scopes) {
        const [type, repo, actions] = scope.split(':');
        if (type !== 'repository' || !REPOSITORIES.includes(repo)) continue;
        const allowed = repo === 'acme/public' || user;
        if (!allowed && p.anonymousPrivate === 'token-403') return json(res, 403, { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] });
        if (allowed) access.push({ type, name: repo, actions: actions.split(',') });
      }
      const token = `${b64url({ alg: 'ES256' })}.${b64url({ access, exp: 4102444800 })}.s${issued.size}`;
      issued.set(token, { user, access });
      return json(res, 200, { [p.tokenKey]: token, expires_in: 300 });
    }
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const granted = issued.get(bearer);
    const challenge = (scope, error) => `Bearer realm="${p.realm}",service="${p.service}"${scope ? `,scope="${scope}"` : ''}${error ? `,error="${error}"` : ''}`;
    if (url.pathname === '/v2/') {
      if (!granted) {
        res.writeHead(401, { 'Content-Type': p.ping.type, 'WWW-Authenticate': challenge(), 'Docker-Distribution-Api-Version': 'registry/2.0' });
        return res.end(p.ping.body);
      }
      return json(res, 200, name === 'quay' ? 'true' : '{}');
    }
    if (url.pathname === '/v2/_catalog') {
      if (p.catalog === 'quay') {
        // §3.3: anonymous → []; with a token (the login token) → the account's repositories.
        return json(res, 200, { repositories: granted?.user ? REPOSITORIES : [] });
      }
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'WWW-Authenticate': challenge('registry:catalog:*', granted ? 'insufficient_scope' : null) });
    }
    const m = url.pathname.match(/^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+)$/);
    if (m) {
      const [, repo, what] = m;
      const may = granted?.access.some((a) => a.name === repo && a.actions.includes('pull'));
      if (!may) return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'access to the requested resource is not authorized', detail: {} }] }, { 'WWW-Authenticate': challenge(`repository:${repo}:pull`, granted ? 'insufficient_scope' : null) });
      if (what === 'tags/list') return json(res, 200, { name: repo, tags: ['latest'] });
      res.writeHead(200, { 'Docker-Content-Digest': `sha256:${'c'.repeat(64)}`, 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Distribution-Api-Version': 'registry/2.0' });
      return res.end();
    }
    return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const fetchHosted = (request) => {
    const url = new URL(request.url);
    if (url.protocol !== 'https:' || !personalityOf(url.host)[1]) return Promise.reject(new TypeError(`fetch failed: ${url.host} is not a personality`));
    const headers = new Headers(request.headers);
    headers.set('X-Hosted-Host', url.host);
    return send(`http://127.0.0.1:${port}${url.pathname}${url.search}`, { method: request.method, headers, redirect: request.redirect, signal: request.signal });
  };
  return { fetch: fetchHosted, log, stop: () => new Promise((resolve) => server.close(resolve)) };
}

/** Each personality's registry URL as a user types it. */
export const URLS = {
  ghcr: 'ghcr.io', quay: 'quay.io', gitlab: 'registry.gitlab.com', harbor: 'harbor.acme.example',
  ecr: '123456789012.dkr.ecr.us-east-1.amazonaws.com', nexus: 'https://nexus.acme.example',
};
