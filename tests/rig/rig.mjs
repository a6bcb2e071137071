// The test rig: real registries (CNCF distribution) on loopback, an nginx CORS front, a token
// server, a server that never answers, a closed port, and a static page server on its own
// origin. Everything listens on 127.0.0.1, on ports chosen at run time; stop() (also run on
// exit and on SIGINT/SIGTERM) ends every process it started.
//
//   node tests/rig/rig.mjs serve [--json FILE]   start, print the URLs, run until killed
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHostile } from './hostile.mjs';
import { freePort, nginxConfig, nginxServer, registryConfig, startDistribution, waitHttp, waitTcp } from './servers.mjs';
import { populate, populateMany, sampleRepositories } from './populate.mjs';
import { ISSUER, SERVICE, USERS, makeSigningKey, startTokenServer } from './token-server.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Bump when the sample content changes: the cached data dir is keyed on it. */
const CONTENT_VERSION = 'v2'; // v2: multi-platform tags on team/tools/builder
/** The sample content every rig registry serves (for registries a test starts itself). */
export const RIG_STORAGE = join(ROOT, 'target', 'rig-data', CONTENT_VERSION);
export { freePort };
export const BASIC_USER = { username: 'basic-user', password: 'basic-pass' };

export const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Accept, Content-Type',
  'Access-Control-Expose-Headers':
    'Docker-Distribution-Api-Version, WWW-Authenticate, Link, Docker-Content-Digest, Content-Length, Content-Type',
};

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.ts': 'text/plain',
};
/** Content-Security-Policy the pages run under: no inline script, wasm allowed. */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src *; img-src 'self' data:";

/**
 * Serves files on 127.0.0.1:`port` (0 = any free port) from `mounts` ([[urlPrefix, dir], …],
 * longest prefix first), every response under the CSP. `extra` maps paths to JSON producers;
 * `tls` ({key, cert}) serves https instead of http; `routes` maps paths to Node listeners.
 */
export function serveStatic(port, mounts, extra = {}, tls = null, routes = {}) {
  const handler = (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (routes[path]) return routes[path](req, res);
    if (extra[path]) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(extra[path]()));
      return;
    }
    const mount = mounts.find(([p]) => path.startsWith(p));
    if (!mount) return res.writeHead(404).end('not found');
    const [prefix, dir] = mount;
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    if (path.endsWith('/')) file = join(file, 'index.html');
    let body;
    try { body = readFileSync(file); } catch { return res.writeHead(404).end('not found'); }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'no-store',
    });
    res.end(body);
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  return new Promise((r) => server.listen(port, '127.0.0.1', () => r(server)));
}

/** The page server of the rig: www/ at /, pkg/ at /pkg/, tests/ at /tests/. */
export const PAGE_MOUNTS = [['/pkg/', join(ROOT, 'pkg')], ['/tests/', join(ROOT, 'tests')], ['/', join(ROOT, 'www')]];

/**
 * Starts the whole rig. Returns its URLs, users, the token server's request log, and stop().
 */
export async function startRig({ quiet = true } = {}) {
  const children = [];
  const servers = [];
  const dir = mkdtempSync(join(tmpdir(), 'registry-probe-rig-'));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections?.(); s.close(() => r()); }))); 
    rmSync(dir, { recursive: true, force: true });
  };
  const killSync = () => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); };
  process.once('exit', killSync);
  try {
    const run = (cmd, args) => {
      const child = spawn(cmd, args, { stdio: quiet ? 'ignore' : 'inherit' });
      children.push(child);
      return child;
    };
    const startRegistry = async (name, options) => {
      const port = await freePort();
      const config = join(dir, `${name}.json`);
      writeFileSync(config, registryConfig({ port, ...options }));
      run('docker-registry', ['serve', config]);
      await waitHttp(`http://127.0.0.1:${port}/v2/`);
      return `http://127.0.0.1:${port}`;
    };

    // Sample content: pushed once into a cached data dir that every registry then shares.
    const storage = RIG_STORAGE;
    if (!existsSync(join(storage, '.populated'))) {
      rmSync(storage, { recursive: true, force: true });
      mkdirSync(storage, { recursive: true });
      const loader = await startRegistry('loader', { storage, headers: {} });
      await populate(loader);
      writeFileSync(join(storage, '.populated'), new Date().toISOString());
    }

    const htpasswd = join(dir, 'htpasswd');
    execFileSync('htpasswd', ['-Bbc', htpasswd, BASIC_USER.username, BASIC_USER.password], { stdio: 'ignore' });
    const { key, cert } = makeSigningKey(dir);
    const tokenLog = [];
    const tokenPort = await freePort();
    const tokenNoCorsPort = await freePort();
    servers.push(await startTokenServer({ port: tokenPort, keyFile: key, cors: true, log: (e) => tokenLog.push(e) }));
    servers.push(await startTokenServer({ port: tokenNoCorsPort, keyFile: key, cors: false, log: (e) => tokenLog.push(e) }));
    const tokenShortPort = await freePort();
    servers.push(await startTokenServer({ port: tokenShortPort, keyFile: key, cors: true, expiresIn: 30 }));
    const tokenAuth = (port) => ({
      token: { realm: `http://127.0.0.1:${port}/token`, service: SERVICE, issuer: ISSUER, rootcertbundle: cert },
    });

    const open = await startRegistry('open', { storage, headers: CORS });
    const originOnly = await startRegistry('origin-only', {
      storage, headers: { 'Access-Control-Allow-Origin': '*' },
    });
    const noCors = await startRegistry('no-cors', { storage, headers: {} });
    const basicDirect = await startRegistry('basic', {
      storage, headers: CORS, auth: { htpasswd: { realm: 'basic-realm', path: htpasswd } },
    });
    const tokenDirect = await startRegistry('token', { storage, headers: CORS, auth: tokenAuth(tokenPort) });
    const tokenNoCorsDirect = await startRegistry('token-nocors', {
      storage, headers: CORS, auth: tokenAuth(tokenNoCorsPort),
    });
    // CORS misconfigurations a console's registry really has (issue 16): Allow-Origin for
    // another origin, and short-lived tokens.
    const otherOrigin = await startRegistry('other-origin', {
      storage, headers: { ...CORS, 'Access-Control-Allow-Origin': 'https://other.example' },
    });
    const tokenShort = await startRegistry('token-short', { storage, headers: CORS, auth: tokenAuth(tokenShortPort) });

    // nginx fronts: the three that answer OPTIONS and add CORS once (the working setup), and
    // broken ones: Allow-Origin added a second time on top of the registry's own, OPTIONS
    // answered 405, Allow-Headers without Authorization, and a wildcard Allow-Headers (which by
    // the Fetch standard does not cover Authorization; Chromium 156 and Firefox ESR 153 accept it).
    const cors = (extra = {}) => Object.entries({ ...CORS, ...extra })
      .map(([k, v]) => `      add_header ${k} "${v}" always;`).join('\n');
    const hide = Object.keys(CORS).map((k) => `      proxy_hide_header ${k};`).join('\n');
    const pass = (upstream) => `      proxy_pass ${upstream};\n      proxy_set_header Host $http_host;`;
    const bodies = {
      basic: [basicDirect, `${cors()}\n      if ($request_method = OPTIONS) { return 204; }\n${hide}`],
      token: [tokenDirect, `${cors()}\n      if ($request_method = OPTIONS) { return 204; }\n${hide}`],
      tokenNoCors: [tokenNoCorsDirect, `${cors()}\n      if ($request_method = OPTIONS) { return 204; }\n${hide}`],
      doubleOrigin: [open, '      add_header Access-Control-Allow-Origin "*" always;'],
      options405: [basicDirect, '      if ($request_method = OPTIONS) { return 405; }'],
      wildcardHeaders: [basicDirect, `${cors({ 'Access-Control-Allow-Headers': '*' })}\n      if ($request_method = OPTIONS) { return 204; }\n${hide}`],
      noAuthHeader: [basicDirect, `${cors({ 'Access-Control-Allow-Headers': 'Accept, Content-Type' })}\n      if ($request_method = OPTIONS) { return 204; }\n${hide}`],
    };
    const fronts = {};
    const blocks = [];
    for (const [name, [upstream, body]] of Object.entries(bodies)) {
      const port = await freePort();
      fronts[name] = `http://127.0.0.1:${port}`;
      blocks.push(nginxServer(port, `    location / {\n${body}\n${pass(upstream)}\n    }`));
    }
    const nginxConf = join(dir, 'nginx.conf');
    writeFileSync(nginxConf, nginxConfig(dir, blocks));
    run('nginx', ['-p', dir, '-c', nginxConf, '-e', join(dir, 'nginx-error.log')]);
    for (const url of Object.values(fronts)) await waitHttp(`${url}/v2/`);
    const { basic, token, tokenNoCors } = fronts;

    // Accepts connections and never answers; and a port where nothing listens.
    const hangPort = await freePort();
    const hang = net.createServer(() => {});
    servers.push(hang);
    await new Promise((r) => hang.listen(hangPort, '127.0.0.1', r));
    const closedPort = await freePort();
    const hostilePort = await freePort();
    const otherPort = await freePort();
    servers.push(await startHostile(hostilePort, `http://127.0.0.1:${otherPort}`));
    // The "other origin" of hostile redirects and realms: records whatever reaches it.
    servers.push(await startHostile(otherPort, `http://127.0.0.1:${hostilePort}`));

    const config = {
      registries: {
        open, originOnly, noCors, basic, basicDirect, token, tokenDirect, tokenNoCors, otherOrigin, tokenShort,
        doubleOrigin: fronts.doubleOrigin, options405: fronts.options405, wildcardHeaders: fronts.wildcardHeaders,
        noAuthHeader: fronts.noAuthHeader,
      },
      tokenServer: { cors: `http://127.0.0.1:${tokenPort}/token`, noCors: `http://127.0.0.1:${tokenNoCorsPort}/token` },
      hang: `http://127.0.0.1:${hangPort}`,
      hostile: `http://127.0.0.1:${hostilePort}`,
      hostileOther: `http://127.0.0.1:${otherPort}`,
      closed: `http://127.0.0.1:${closedPort}`,
      users: {
        basic: BASIC_USER,
        tokenAdmin: { username: 'admin', password: USERS.admin.password },
        tokenPuller: { username: 'puller', password: USERS.puller.password },
      },
      repositories: Object.keys(sampleRepositories()).sort(),
    };
    const pagePort = await freePort();
    // The console's server-side probe beside the form (registry-probe/server), allowed to reach
    // the rig's loopback registries: the form falls back to it when the browser blocks a check.
    const { createProbeHandler, toNodeListener } = await import('registry-probe/server');
    const relay = toNodeListener(createProbeHandler({ allowHosts: ['127.0.0.1'] }));
    servers.push(await serveStatic(pagePort, PAGE_MOUNTS, { '/rig.json': () => config }, null, { '/probe': relay }));
    config.page = `http://127.0.0.1:${pagePort}`;
    return { ...config, tokenLog, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'serve') {
  const jsonAt = process.argv.indexOf('--json');
  const rig = await startRig();
  const { stop, tokenLog, ...config } = rig;
  if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(config, null, 2));
  const shutdown = async () => { await stop(); process.exit(0); };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  console.log(JSON.stringify(config, null, 2));
}

/**
 * A distribution registry serving TLS with the certificate and key files given (empty storage).
 * Returns [port, stop].
 */
export async function startTlsRegistry(certificate, key) {
  const dir = mkdtempSync(join(tmpdir(), 'registry-probe-tls-registry-'));
  const port = await freePort();
  const config = registryConfig({ port, storage: join(dir, 'data'), tls: { certificate, key } });
  const [, stop] = await startDistribution(config, port, () => waitTcp(port));
  return [port, () => { stop(); rmSync(dir, { recursive: true, force: true }); }];
}

/**
 * For benchmarks: a CORS registry holding `count` repositories (populated once, cached under
 * target/rig-data/). Returns [url, stop].
 */
export async function startLargeRegistry(count) {
  const storage = join(ROOT, 'target', 'rig-data', `large-${count}`);
  const port = await freePort();
  const [url, stop] = await startDistribution(registryConfig({ port, storage, headers: CORS }), port);
  if (!existsSync(join(storage, '.populated'))) {
    await populateMany(url, count);
    writeFileSync(join(storage, '.populated'), new Date().toISOString());
  }
  return [url, stop];
}
