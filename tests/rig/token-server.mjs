// A Docker registry token server (the "Bearer" flow), enough for CNCF distribution 2.8.
//
// GET /token?service=S&scope=repository:NAME:pull&scope=registry:catalog:* with optional Basic
// credentials returns {token, access_token, expires_in, issued_at}. The JWT is ES256, its header
// `kid` is the libtrust key id of the signing key, whose certificate is the registry's
// rootcertbundle. Grants come from USERS below; anonymous callers get pull on `public/*` only.
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';

export const ISSUER = 'rig-token-issuer';
export const SERVICE = 'rig-registry';

/** Users of the token registry and what each may do. */
export const USERS = {
  admin: { password: 'admin-pass', grant: () => ['pull', 'push', '*'] },
  // May pull team/* and public/* but may not list the catalog (issue 5, case 9).
  puller: {
    password: 'puller-pass',
    grant: (type, name) => (type === 'repository' && /^(team|public)\//.test(name) ? ['pull'] : []),
  },
};
const anonymous = (type, name) => (type === 'repository' && name.startsWith('public/') ? ['pull'] : []);

/** Makes an EC P-256 key and a self-signed certificate for it in `dir`. */
export function makeSigningKey(dir) {
  const key = join(dir, 'token-key.pem');
  const cert = join(dir, 'token-cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=registry-probe rig'], { stdio: 'ignore' });
  return { key, cert };
}

/** libtrust key id: base32 of the first 30 bytes of sha256(DER SPKI), in 12 groups of 4. */
export function libtrustKeyId(publicKey) {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const bytes = createHash('sha256').update(der).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5), 2)];
  return out.match(/.{4}/g).join(':');
}

const b64url = (data) => Buffer.from(data).toString('base64url');

function parseScopes(params) {
  return params.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean).map((scope) => {
    const [type, ...rest] = scope.split(':');
    const actions = rest.pop() ?? '';
    return { type, name: rest.join(':'), actions: actions.split(',') };
  });
}

function authenticate(header) {
  if (!header) return { user: null, grant: anonymous };
  const [scheme, value] = header.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !value) return null;
  const decoded = Buffer.from(value, 'base64').toString();
  const colon = decoded.indexOf(':');
  const user = USERS[decoded.slice(0, colon)];
  if (!user || user.password !== decoded.slice(colon + 1)) return null;
  return { user: decoded.slice(0, colon), grant: user.grant };
}

/**
 * Starts a token server on 127.0.0.1:`port`. With `cors`, it answers preflights and adds CORS
 * headers to every response (also 401); without, it sends none, like a server not meant for
 * browsers. `log` receives each request (method, url, whether Authorization was present);
 * `expiresIn` is the tokens' lifetime in seconds.
 */
export function startTokenServer({ port, keyFile, cors = true, log = () => {}, expiresIn = 300 }) {
  const privateKey = createPrivateKey(readFileSync(keyFile));
  const kid = libtrustKeyId(createPublicKey(privateKey));
  const server = http.createServer((req, res) => {
    log({ method: req.method, url: req.url, authorization: Boolean(req.headers.authorization) });
    if (cors) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Accept, Content-Type');
      res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate');
    }
    if (req.method === 'OPTIONS' && cors) {
      res.writeHead(204).end();
      return;
    }
    const url = new URL(req.url, 'http://token');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const who = authenticate(req.headers.authorization);
    if (!who) {
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Basic realm="rig-token"' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    const access = parseScopes(url.searchParams).map(({ type, name, actions }) => {
      const allowed = who.grant(type, name);
      return { type, name, actions: actions.filter((a) => allowed.includes(a) || allowed.includes('*')) };
    }).filter((a) => a.actions.length > 0);
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', kid };
    const claims = {
      iss: ISSUER, sub: who.user ?? '', aud: url.searchParams.get('service') ?? SERVICE,
      exp: now + expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const token = `${input}.${b64url(signature)}`;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() }));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
