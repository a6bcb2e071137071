// Hosted registries' personalities on loopback, each answering as the public record says it does
// (../../../shared/providers.md, section cited beside each answer; its summary table §11 too),
// never as we would expect: GHCR, Quay.io, GitLab.com, Harbor, ECR (private), Artifact Registry,
// GCR, ACR, Artifactory (behind its path prefix), Nexus 3 with Basic and with Bearer. Where the
// record is silent, the answer is distribution's (§0) and says so.
//
// Two ways in: `fetch` sends each provider's real host names here (https → http on loopback), so
// a probe in this process sees their URLs; or `{ tls }` serves them over https on 127.0.0.1:443
// with a certificate naming every host (makeHostedCertificates), for the console's server with an
// injected lookup. Every personality has a public repository `acme/public` (tag `latest`), a
// private one `acme/private`, and one account (ACCOUNTS).
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ACCOUNT = { username: 'ci-user', password: 'hosted-PASSWORD-77a1' };
/** Google's registries take `_json_key` and the service account's key (§5.8). */
const GOOGLE_ACCOUNT = {
  username: '_json_key',
  password: JSON.stringify({ type: 'service_account', project_id: 'acme', private_key: `-----BEGIN PRIVATE KEY-----\n${ACCOUNT.password}\n-----END PRIVATE KEY-----\n`, client_email: 'ci@acme.iam.gserviceaccount.com' }),
};
/**
 * ECR takes `AWS` and what `aws ecr get-login-password` prints (§4a.2, §4a.8): base64 of a JSON
 * document whose `expiration` is 12 hours after issue (issued an hour ago here).
 */
const ECR_ACCOUNT = {
  username: 'AWS',
  password: Buffer.from(JSON.stringify({ payload: ACCOUNT.password, datakey: 'k', version: '2', type: 'DATA_KEY', expiration: Math.floor(Date.now() / 1000) + 11 * 3600 })).toString('base64'),
};
const send = globalThis.fetch; // captured before a test may replace the global one
const REPOSITORIES = ['acme/public', 'acme/private'];
const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ENVELOPE = (code, message, extra = {}) => ({ errors: [{ code, message, ...extra }] });
/** ACR's message on every 401 (§6.1, §6.2). */
const ACR_AUTHENTICATION = 'authentication required, visit https://aka.ms/acr/authorization for more information.';

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
  // §5 Artifact Registry: `/v2/` challenges without `service` (§5.1), resources with it; the token
  // answer has expires_in 43200 and issued_at (§5.2); an anonymous private repository is 403
  // DENIED "Permission … denied on resource … (or it may not exist)" at the token endpoint
  // (§5.2); a wrong key as GCR's 401 UNAUTHORIZED (§5.2, [infer] for AR); `_catalog`: no record
  // (§5.3), so distribution's 401 with the catalog's challenge.
  gar: {
    host: 'us-docker.pkg.dev', realm: 'https://us-docker.pkg.dev/v2/token', service: 'us-docker.pkg.dev', pingService: 'none', tokenKey: 'token',
    tokenExtra: { expires_in: 43200, issued_at: '2026-12-06T00:00:00Z' }, account: GOOGLE_ACCOUNT,
    ping: { type: 'application/json', body: '{"errors":[{"code":"UNAUTHORIZED","message":"Unauthorized access."}]}' },
    anonymousPrivate: 'token-403', denied: 'Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/acme/locations/us/repositories/acme" (or it may not exist)',
    wrongPassword: 'token-401', catalog: 'deny',
  },
  // §5 GCR: `service=gcr.io` unquoted (§5.1, the newer fixture); an anonymous private repository
  // is 403 at the token endpoint, a wrong key 401 "You don't have the needed permissions…"
  // (§5.2); the catalog lists every project the account belongs to (§5.3), anonymously: no
  // record, so distribution's 401.
  gcr: {
    host: 'gcr.io', realm: 'https://gcr.io/v2/token', service: 'gcr.io', pingService: 'unquoted', tokenKey: 'token',
    tokenExtra: { expires_in: 43200 }, account: GOOGLE_ACCOUNT,
    ping: { type: 'application/json', body: '{"errors":[{"code":"UNAUTHORIZED","message":"Unauthorized access."}]}' },
    anonymousPrivate: 'token-403', wrongPassword: 'token-401', wrongMessage: "You don't have the needed permissions to perform this operation, and you may have invalid credentials.",
    catalog: 'account', otherProjects: ['other-project/tool'],
  },
  // §6 ACR: challenge realm <reg>/oauth2/token, service <reg> (§6.1) with the aka.ms message and
  // openresty headers; the token answer's key is access_token (§6.2); tags challenge for
  // `metadata_read` (§6.4); the catalog for an admin account, with `orderby=` in its Link (§6.3);
  // a wrong password 401 with the aka.ms message (§6.2). Anonymous pull is an optional setting
  // (§6.2), off here: an anonymous token request gets the same 401 [infer].
  acr: {
    host: 'acme.azurecr.io', realm: 'https://acme.azurecr.io/oauth2/token', service: 'acme.azurecr.io', tokenKey: 'access_token',
    ping: { type: 'application/json; charset=utf-8', body: JSON.stringify(ENVELOPE('UNAUTHORIZED', ACR_AUTHENTICATION)) },
    headers: { Server: 'openresty', 'Access-Control-Expose-Headers': 'Docker-Content-Digest, WWW-Authenticate, Link, X-Ms-Correlation-Request-Id' },
    anonymousToken: 401, anonymousMessage: ACR_AUTHENTICATION, wrongPassword: 'token-401', wrongMessage: ACR_AUTHENTICATION,
    tagsAction: 'metadata_read', catalog: 'account', catalogOrderby: true,
  },
  // §9 Artifactory behind its path prefix (§9.1): realm …/artifactory/api/docker/<repo-key>/v2/token,
  // service <host>, `application/json;charset=ISO-8859-1`, `Server: Artifactory/…`,
  // `X-Artifactory-Id` (§9.2); with anonymous access off an anonymous token request is 406
  // (§9.3); the catalog for a privileged user (§9.4; the account is one).
  artifactory: {
    host: 'acme.jfrog.io', prefix: '/artifactory/api/docker/docker-local', realm: 'https://acme.jfrog.io/artifactory/api/docker/docker-local/v2/token', service: 'acme.jfrog.io', tokenKey: 'token',
    ping: { type: 'application/json;charset=ISO-8859-1', body: '{"errors":[{"code":"UNAUTHORIZED","message":"Authentication is required","detail":null}]}' },
    headers: { Server: 'Artifactory/7.9.1 70901900', 'X-Artifactory-Id': 'a1b2c3' },
    anonymousToken: 406, wrongPassword: 'token-401', catalog: 'account',
  },
  // §10 Nexus 3 with the Docker Bearer Token Realm: challenge realm <host>/v2/token with service
  // equal to the realm URL, never a scope (§10.2); opaque tokens (§10.3); anonymous pull of the
  // public repository (anonymous user and the repository's option on, §10.3); tags denied 401
  // (§11); the catalog with the account (§10.4).
  'nexus-bearer': {
    host: 'nexus-docker.acme.example', realm: 'https://nexus-docker.acme.example/v2/token', service: 'https://nexus-docker.acme.example/v2/token', tokenKey: 'token',
    ping: { type: 'application/json', body: '{"errors":[{"code":"UNAUTHORIZED","message":"access to the requested resource is not authorized","detail":null}]}' },
    headers: { Server: 'Nexus/3.80.0-06 (COMMUNITY)' },
    noScope: true, opaque: true, anonymousPrivate: 'downscope', wrongPassword: 'token-401', catalog: 'account',
  },
};

/**
 * Basic flavours: ECR private (§4a: 401 text/plain "Not Authorized", Basic realm = the registry
 * URL; tags JSON as `text/plain`, §4a.4) and Nexus 3 (§10: `BASIC realm=…`, upper case).
 */
const BASIC = {
  ecr: { account: ECR_ACCOUNT, jsonAsText: true, host: '123456789012.dkr.ecr.us-east-1.amazonaws.com', challenge: 'Basic realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"', type: 'text/plain; charset=utf-8', body: 'Not Authorized\n', anonymousPublic: false },
  nexus: { host: 'nexus.acme.example', challenge: 'BASIC realm="Sonatype Nexus Repository Manager"', type: 'application/json', body: '{"errors":[{"code":"UNAUTHORIZED","message":"access to the requested resource is not authorized","detail":null}]}', anonymousPublic: false },
};

/** Every host a personality answers on (registries and token services). */
export const HOSTS = [...new Set([
  ...Object.values(PERSONALITIES).flatMap((p) => [p.host, new URL(p.realm).host]),
  ...Object.values(BASIC).map((p) => p.host),
])];

/** Each personality's account. */
export const ACCOUNTS = Object.fromEntries([...Object.keys(PERSONALITIES), ...Object.keys(BASIC)]
  .map((name) => [name, (PERSONALITIES[name] ?? BASIC[name]).account ?? ACCOUNT]));

/** Which personality a host is. */
function personalityOf(host) {
  for (const [name, p] of Object.entries(PERSONALITIES)) if (host === p.host || host === new URL(p.realm).host) return [name, p];
  for (const [name, p] of Object.entries(BASIC)) if (host === p.host) return [name, { ...p, basic: true }];
  return [null, null];
}

/** The request handler of every personality; the host comes from `X-Hosted-Host` or `Host`. */
function personalities() {
  const issued = new Map(); // token → { user, access }
  const log = [];
  const json = (res, status, value, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0', ...headers });
    res.end(typeof value === 'string' ? value : JSON.stringify(value));
  };
  const basicUser = (req, account) => {
    const m = (req.headers.authorization ?? '').match(/^Basic (.+)$/i);
    if (!m) return undefined;
    const [user, ...rest] = Buffer.from(m[1], 'base64').toString().split(':');
    return user === account.username && rest.join(':') === account.password ? user : null; // null: wrong
  };
  const handle = (req, res) => {
    const host = req.headers['x-hosted-host'] ?? req.headers.host;
    const url = new URL(req.url, 'http://hosted');
    const [name, p] = personalityOf(host);
    log.push(`${req.method} ${host}${url.pathname}${url.search}`);
    if (!p) return json(res, 404, ENVELOPE('NOT_FOUND', 'not found'));
    const account = p.account ?? ACCOUNT;
    if (p.basic) {
      const user = basicUser(req, account);
      if (!user) {
        res.writeHead(401, { 'Content-Type': p.type, 'WWW-Authenticate': p.challenge, 'Docker-Distribution-Api-Version': 'registry/2.0' });
        return res.end(p.body);
      }
      if (url.pathname === '/v2/') return json(res, 200, '{}');
      if (url.pathname === '/v2/_catalog') return json(res, 200, { repositories: REPOSITORIES });
      const tags = url.pathname.match(/^\/v2\/(.+)\/tags\/list$/);
      if (tags) return json(res, 200, { name: tags[1], tags: ['latest'] }, p.jsonAsText ? { 'Content-Type': 'text/plain; charset=utf-8' } : {});
      res.writeHead(200, { 'Docker-Content-Digest': `sha256:${'b'.repeat(64)}`, 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
      return res.end();
    }
    const realmUrl = new URL(p.realm);
    const extra = p.headers ?? {};
    if (host === realmUrl.host && url.pathname === realmUrl.pathname) {
      const user = basicUser(req, account);
      const scopes = url.searchParams.getAll('scope');
      if (user === null && p.wrongPassword === 'token-401') return json(res, 401, ENVELOPE('UNAUTHORIZED', p.wrongMessage ?? 'invalid credentials'), extra);
      if (user === undefined && p.anonymousToken) return json(res, p.anonymousToken, ENVELOPE('UNAUTHORIZED', p.anonymousMessage ?? 'anonymous access is disabled'), extra);
      if (user === undefined && scopes.length === 0 && p.anonymousScopeless) return json(res, p.anonymousScopeless, ENVELOPE(p.anonymousScopeless === 403 ? 'DENIED' : 'UNAUTHORIZED', 'access forbidden'));
      if (name === 'quay' && scopes.some((s) => s.startsWith('registry:'))) {
        return json(res, 400, ENVELOPE('INVALID_REQUEST', `Unable to decode repository and actions: ${scopes[0]}`, { detail: {} }));
      }
      const access = [];
      for (const scope of scopes) {
        const [type, repo, actions] = scope.split(':');
        if (type === 'registry' && user && p.catalog === 'account') access.push({ type, name: repo, actions: actions.split(',') });
        if (type !== 'repository' || !REPOSITORIES.includes(repo)) continue;
        const allowed = repo === 'acme/public' || user;
        if (!allowed && p.anonymousPrivate === 'token-403') return json(res, 403, ENVELOPE('DENIED', p.denied ?? 'requested access to the resource is denied'));
        if (allowed) access.push({ type, name: repo, actions: actions.split(',') });
      }
      const token = p.opaque
        ? `NexusToken.${issued.size}${'0'.repeat(30)}`
        : `${b64url({ alg: 'ES256' })}.${b64url({ access, exp: 4102444800 })}.s${issued.size}`;
      issued.set(token, { user, access });
      return json(res, 200, { [p.tokenKey]: token, ...(p.tokenExtra ?? { expires_in: 300 }) }, extra);
    }
    if (p.prefix && !url.pathname.startsWith(`${p.prefix}/v2/`)) return json(res, 404, ENVELOPE('NOT_FOUND', 'not found'), extra);
    const path = p.prefix ? url.pathname.slice(p.prefix.length) : url.pathname;
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const granted = issued.get(bearer);
    const service = { none: '', unquoted: `,service=${p.service}` }[p.pingService] ?? `,service="${p.service}"`;
    // Nexus's challenges carry neither a scope nor an error (§10.2).
    const challenge = (scope, error) => `Bearer realm="${p.realm}"${scope ? `,service="${p.service}"` : service}${scope && !p.noScope ? `,scope="${scope}"` : ''}${error && !p.noScope ? `,error="${error}"` : ''}`;
    const may = (type, repo, action) => granted?.access.some((a) => a.type === type && a.name === repo && a.actions.includes(action));
    if (path === '/v2/') {
      if (!granted) {
        res.writeHead(401, { 'Content-Type': p.ping.type, 'WWW-Authenticate': challenge(), 'Docker-Distribution-Api-Version': 'registry/2.0', ...extra });
        return res.end(p.ping.body);
      }
      return json(res, 200, name === 'quay' ? 'true' : '{}', extra);
    }
    if (path === '/v2/_catalog') {
      if (p.catalog === 'quay') {
        // §3.3: anonymous → []; with a token (the login token) → the account's repositories.
        return json(res, 200, { repositories: granted?.user ? REPOSITORIES : [] });
      }
      if (p.catalog === 'account' && may('registry', 'catalog', '*')) {
        const link = p.catalogOrderby ? { Link: `<${p.prefix ?? ''}/v2/_catalog?last=${REPOSITORIES.at(-1)}&n=2&orderby=>; rel="next"` } : {};
        const last = url.searchParams.get('last');
        const repositories = last ? [] : [...REPOSITORIES, ...(p.otherProjects ?? [])];
        return json(res, 200, { repositories }, last ? extra : { ...extra, ...link });
      }
      return json(res, 401, ENVELOPE('UNAUTHORIZED', 'authentication required', { detail: [{ Type: 'registry', Name: 'catalog', Action: '*' }] }), { ...extra, 'WWW-Authenticate': challenge('registry:catalog:*', granted ? 'insufficient_scope' : null) });
    }
    const m = path.match(/^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+)$/);
    if (m) {
      const [, repo, what] = m;
      const action = what === 'tags/list' ? p.tagsAction ?? 'pull' : 'pull';
      if (!may('repository', repo, action)) {
        // ACR's detail names the access (§6.4); elsewhere `detail: {}` (§3.6, §11).
        const detail = p.tagsAction ? [{ Type: 'repository', Name: repo, Action: action }] : {};
        return json(res, 401, ENVELOPE('UNAUTHORIZED', 'access to the requested resource is not authorized', { detail }),
          { ...extra, 'WWW-Authenticate': challenge(`repository:${repo}:${action}`, granted ? 'insufficient_scope' : null) });
      }
      if (what === 'tags/list') return json(res, 200, { name: repo, tags: ['latest'] }, extra);
      res.writeHead(200, { 'Docker-Content-Digest': `sha256:${'c'.repeat(64)}`, 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Distribution-Api-Version': 'registry/2.0', ...extra });
      return res.end();
    }
    return json(res, 404, ENVELOPE('NOT_FOUND', 'not found'), extra);
  };
  return { handle, log, tokens: () => [...issued.keys()] };
}

/**
 * A test CA and a certificate it signs for `hosts` (openssl, in a throwaway directory):
 * `{ ca, key, cert }` as PEM text.
 */
export function makeHostedCertificates(hosts = HOSTS) {
  const dir = mkdtempSync(join(tmpdir(), 'hosted-ca-'));
  try {
    const at = (file) => join(dir, file);
    const quiet = { stdio: 'ignore' };
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=registry-probe hosted test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'], quiet);
    execFileSync('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', at('leaf.key'), '-out', at('leaf.csr'), '-subj', '/CN=hosted personalities'], quiet);
    writeFileSync(at('leaf.ext'), `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
    execFileSync('openssl', ['x509', '-req', '-in', at('leaf.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'),
      '-CAcreateserial', '-out', at('leaf.pem'), '-days', '2', '-extfile', at('leaf.ext')], quiet);
    return { ca: readFileSync(at('ca.pem'), 'utf8'), key: readFileSync(at('leaf.key'), 'utf8'), cert: readFileSync(at('leaf.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts every personality on one loopback server; returns `{ fetch, log, tokens(), port, stop() }`
 * (`tokens()`: every token issued so far, for leak checks).
 * With `{ tls: { key, cert }, port }` it serves https (by default on 127.0.0.1:443) for clients
 * that resolve the hosts to 127.0.0.1 themselves; `fetch` is then not needed. `forward: { hosts,
 * fetch }` answers those hosts with another personality's fetch (Docker Hub's).
 */
export async function startHosted({ tls, port = tls ? 443 : 0, forward } = {}) {
  const { handle, log, tokens } = personalities();
  const route = (req, res) => {
    const host = req.headers.host;
    if (!forward?.hosts.includes(host)) return handle(req, res);
    log.push(`${req.method} ${host}${req.url}`);
    const headers = Object.entries(req.headers).filter(([name]) => name !== 'host');
    forward.fetch(new Request(`https://${host}${req.url}`, { method: req.method, headers }))
      .then(async (answer) => {
        res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => !['content-length', 'transfer-encoding', 'connection'].includes(name))));
        res.end(Buffer.from(await answer.arrayBuffer()));
      })
      .catch(() => res.destroy());
  };
  const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, route) : createServer(route);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const listening = server.address().port;
  const fetchHosted = (request) => {
    const url = new URL(request.url);
    if (url.protocol !== 'https:' || !personalityOf(url.host)[1]) return Promise.reject(new TypeError(`fetch failed: ${url.host} is not a personality`));
    const headers = new Headers(request.headers);
    headers.set('X-Hosted-Host', url.host);
    return send(`http://127.0.0.1:${listening}${url.pathname}${url.search}`, { method: request.method, headers, redirect: request.redirect, signal: request.signal });
  };
  return { fetch: fetchHosted, log, tokens, port: listening, stop: () => new Promise((resolve) => server.close(resolve)) };
}

/** Each personality's registry URL as a user types it. */
export const URLS = {
  ghcr: 'ghcr.io', quay: 'quay.io', gitlab: 'registry.gitlab.com', harbor: 'harbor.acme.example',
  ecr: '123456789012.dkr.ecr.us-east-1.amazonaws.com', nexus: 'https://nexus.acme.example',
  gar: 'us-docker.pkg.dev', gcr: 'gcr.io', acr: 'acme.azurecr.io',
  artifactory: 'https://acme.jfrog.io/artifactory/api/docker/docker-local/', 'nexus-bearer': 'nexus-docker.acme.example',
};
