// A deliberately hostile registry (in addition to the real ones), for answers no real registry
// gives. Each scenario is a path prefix, so a registry URL like http://127.0.0.1:P/huge-catalog
// selects it (the probe keeps path prefixes). Loopback only. Every request is recorded (method,
// path, Authorization) and served at /__log, so tests can assert where credentials went.
import http from 'node:http';

export const MARKUP_REPOSITORY = '<img src=x onerror="document.body.dataset.pwned=1">';
export const MARKUP_TAG = '<script>document.body.dataset.pwned=2</script>';
/** The hostile token service issues this recognisable token. */
export const SENTINEL_TOKEN = 'TOKEN-SENTINEL-7f3a9';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, Accept',
  'Access-Control-Expose-Headers': 'Docker-Distribution-Api-Version, Link, WWW-Authenticate, Location, RateLimit-Limit, RateLimit-Remaining, Docker-RateLimit-Source, Retry-After',
  'Docker-Distribution-Api-Version': 'registry/2.0',
};

/**
 * Starts the hostile server on `port` (0: any free port). `other` is the origin of another server (for redirects
 * and realms on another host).
 */
export function startHostile(port, other) {
  const log = [];
  let self = `http://127.0.0.1:${port}`; // port 0: set once listening
  const send = (res, status, headers, body = '') => { res.writeHead(status, { ...CORS, ...headers }); res.end(body); };
  const json = (res, value, status = 200, headers = {}) => send(res, status, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(value));
  const bearer = (scenario) => `Bearer realm="${self}/${scenario}/token",service="hostile"`;

  const scenarios = {
    // Markup in names.
    markup: (rest, req, res) => {
      if (rest === '/v2/_catalog') return json(res, { repositories: [MARKUP_REPOSITORY, 'team/<b>bold</b>', 'plain/ok'] });
      if (rest.endsWith('/tags/list')) return json(res, { tags: [MARKUP_TAG, 'latest'] });
      return send(res, 200, {}, '{}');
    },
    // A 100 MB catalog page, streamed.
    'huge-catalog': (rest, req, res) => {
      if (rest !== '/v2/_catalog') return send(res, 200, {}, '{}');
      res.writeHead(200, { ...CORS, 'Content-Type': 'application/json' });
      res.write('{"repositories":["');
      const chunk = 'a'.repeat(1 << 20);
      let sent = 0;
      const pump = () => {
        while (sent < 100 && res.write(chunk)) sent++;
        if (sent < 100) res.once('drain', () => { sent++; pump(); });
        else res.end('"]}');
      };
      res.on('close', () => { sent = 100; });
      pump();
    },
    // Link pointing back at the same page forever.
    'link-loop': (rest, req, res) => {
      if (rest.startsWith('/v2/_catalog')) return json(res, { repositories: ['a'] }, 200, { Link: '</link-loop/v2/_catalog?n=100>; rel="next"' });
      return send(res, 200, {}, '{}');
    },
    // Link to another origin.
    'link-foreign': (rest, req, res) => {
      if (rest.startsWith('/v2/_catalog')) return json(res, { repositories: ['a'] }, 200, { Link: `<${other}/v2/_catalog?n=100>; rel="next"` });
      return send(res, 200, {}, '{}');
    },
    // Token responses that are huge, not JSON, or without a token.
    'token-huge': tokenScenario((res) => json(res, { token: 'x'.repeat(2 << 20) })),
    'token-html': tokenScenario((res) => send(res, 200, { 'Content-Type': 'text/html' }, '<html>login</html>')),
    'token-missing': tokenScenario((res) => json(res, { expires_in: 300 })),
    // An opaque (non-JWT) token that the registry then refuses with insufficient_scope for the
    // catalog and the pull, as GHCR-style token services do: only the 401 tells.
    'insufficient-scope': (rest, req, res) => {
      if (rest === '/token') return json(res, { token: `opaque-${SENTINEL_TOKEN}`, expires_in: 300 });
      if (!req.headers.authorization) return send(res, 401, { 'WWW-Authenticate': bearer('insufficient-scope') });
      if (rest === '/v2/') return send(res, 200, {}, '{}');
      if (rest.endsWith('/tags/list')) return json(res, { name: 'team/app', tags: ['latest'] });
      const scope = rest === '/v2/_catalog' ? 'registry:catalog:*' : 'repository:team/app:pull';
      return send(res, 401, { 'WWW-Authenticate': `${bearer('insufficient-scope')},scope="${scope}",error="insufficient_scope"` });
    },
    // A token that works: recognisable, to check it never leaks.
    'token-ok': tokenScenario((res) => json(res, { token: SENTINEL_TOKEN }), true),
    // Challenges that are unusable or point elsewhere.
    'no-realm': (rest, req, res) => send(res, 401, { 'WWW-Authenticate': 'Bearer service="hostile"' }),
    'http-realm': (rest, req, res) => send(res, 401, { 'WWW-Authenticate': 'Bearer realm="http://auth.example.test/token",service="hostile"' }),
    'other-realm': (rest, req, res) => {
      if (req.headers.authorization === `Bearer ${SENTINEL_TOKEN}`) return send(res, 200, {}, '{}');
      return send(res, 401, { 'WWW-Authenticate': `Bearer realm="${other}/token",service="hostile"` });
    },
    'many-challenges': (rest, req, res) => send(res, 401, { 'WWW-Authenticate': Array.from({ length: 1000 }, (_, i) => `Custom${i} realm="r${i}"`).join(', ') }),
    // A redirect to another origin, with credentials in flight.
    redirect: (rest, req, res) => {
      if (!req.headers.authorization) return send(res, 401, { 'WWW-Authenticate': 'Basic realm="hostile"' });
      return send(res, 302, { Location: `${other}/v2/` });
    },
    // Headers, then a body that never finishes.
    'slow-body': (rest, req, res) => {
      if (rest !== '/v2/_catalog') return send(res, 200, {}, '{}');
      res.writeHead(200, { ...CORS, 'Content-Type': 'application/json' });
      res.write('{"repositories":[');
    },
    // Every catalog page full, each with a next Link, forever.
    'endless-catalog': (rest, req, res) => {
      if (!rest.startsWith('/v2/_catalog')) return send(res, 200, {}, '{}');
      const query = new URL(req.url, 'http://x').searchParams; // `rest` is the path only
      const n = Math.min(Number(query.get('n')) || 100, 1000);
      const from = Number((query.get('last') ?? 'r-0').split('-').pop()) + 1;
      const names = Array.from({ length: n }, (_, i) => `r-${from + i}`);
      return json(res, { repositories: names }, 200, { Link: `</endless-catalog/v2/_catalog?last=${names.at(-1)}&n=${n}>; rel="next"` });
    },
    // The catalog's body sent one byte at a time (every 200 ms), forever.
    trickle: (rest, req, res) => {
      if (rest !== '/v2/_catalog') return send(res, 200, {}, '{}');
      res.writeHead(200, { ...CORS, 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(timer));
    },
    // A token service answering 10 MB.
    'token-10mb': tokenScenario((res) => json(res, { token: 'x'.repeat(10 << 20) })),
    // Invalid UTF-8 inside JSON.
    'bad-utf8': (rest, req, res) => {
      if (rest === '/v2/_catalog') {
        res.writeHead(200, { ...CORS, 'Content-Type': 'application/json' });
        return res.end(Buffer.concat([Buffer.from('{"repositories":["a'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"]}')]));
      }
      return send(res, 200, {}, '{}');
    },
    // Docker Hub's pull rate limit on the manifest answer: 3 of 100 left, then none (429).
    // A manifest GET is refused (405): only HEAD reads the limit without counting as a pull.
    'rate-limit': (rest, req, res) => rateLimited(rest, req, res, 3),
    'rate-limited': (rest, req, res) => rateLimited(rest, req, res, 0),
    // A 500 with a stack trace and a storage path in the detail.
    'stack-trace': (rest, req, res) => json(res, { errors: [{ code: 'UNKNOWN', message: 'unknown error', detail: 'panic: runtime error at /var/lib/registry/docker/registry/v2/repositories/secret-project goroutine 1 [running]: main.go:42' }] }, 500),
  };

  function rateLimited(rest, req, res, remaining) {
    if (rest === '/v2/_catalog') return json(res, { repositories: ['library/alpine'] });
    if (rest.endsWith('/tags/list')) return json(res, { name: 'library/alpine', tags: ['latest'] });
    if (!rest.includes('/manifests/')) return send(res, 200, {}, '{}');
    if (req.method !== 'HEAD') return send(res, 405, { Allow: 'HEAD' });
    const limits = {
      'RateLimit-Limit': '100;w=21600', 'RateLimit-Remaining': `${remaining};w=21600`, 'Docker-RateLimit-Source': '192.0.2.10',
    };
    if (remaining === 0) return send(res, 429, { ...limits, 'Retry-After': '3600' });
    return send(res, 200, { ...limits, 'Docker-Content-Digest': `sha256:${'0'.repeat(64)}` });
  }

  function tokenScenario(answer, registryAcceptsSentinel = false) {
    return (rest, req, res, scenario) => {
      if (rest === '/token') return answer(res);
      if (registryAcceptsSentinel && req.headers.authorization === `Bearer ${SENTINEL_TOKEN}`) {
        if (rest === '/v2/_catalog') return json(res, { repositories: ['team/app'] });
        if (rest.endsWith('/tags/list')) return json(res, { tags: ['latest'] });
        return send(res, 200, {}, '{}');
      }
      return send(res, 401, { 'WWW-Authenticate': bearer(scenario) });
    };
  }

  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/__log') return json(res, log);
    if (req.method === 'OPTIONS') return send(res, 204, { 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS' });
    const [, scenario, ...rest] = path.split('/');
    log.push({ method: req.method, path, authorization: req.headers.authorization ?? null });
    const handler = scenarios[scenario];
    if (!handler) return send(res, 404, {}, '');
    handler(`/${rest.join('/')}`, req, res, scenario);
  });
  return new Promise((r) => server.listen(port, '127.0.0.1', () => {
    self = `http://127.0.0.1:${server.address().port}`;
    r(server);
  }));
}
