// Starting the rig's real servers: CNCF distribution from a config (JSON or YAML text, as a
// registry's own config.yml would be written) and nginx from server blocks. Loopback only;
// every process is killed by the returned stop().
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freePort() {
  return new Promise((res, rej) => {
    const server = net.createServer();
    server.unref();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });
}

export async function waitHttp(url, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${url} did not come up: ${e.message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** distribution's config as JSON (a subset of YAML): `headers` maps names to one value each. */
export function registryConfig({ port, storage, headers = {}, auth, tls }) {
  return JSON.stringify({
    version: '0.1',
    log: { level: 'error', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: storage }, delete: { enabled: true } },
    http: {
      addr: `127.0.0.1:${port}`,
      secret: 'registry-probe-rig',
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      ...(tls ? { tls: { certificate: tls.certificate, key: tls.key } } : {}),
    },
    ...(auth ? { auth } : {}),
  });
}

/**
 * distribution's config.yml with `snippet` (an `http:` block, as the probe's `distribution`
 * snippet gives it) pasted in as it is, the listen address added under `http:`.
 */
export function registryConfigWithSnippet({ port, storage, snippet, auth }) {
  const http = `http:\n  addr: 127.0.0.1:${port}\n  secret: registry-probe-rig\n`;
  return [
    "version: '0.1'",
    'log: {level: error, accesslog: {disabled: true}}',
    `storage: {filesystem: {rootdirectory: '${storage}'}}`,
    ...(auth ? [`auth: ${JSON.stringify(auth)}`] : []),
    snippet.replace(/^http:\n/m, http),
  ].join('\n');
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port` (a TLS port, say). */
export async function waitTcp(port, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const up = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); }).on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts distribution with `config` (text) listening on `port`; resolves to [url, stop] once
 * `ready(url)` does (by default: once `/v2/` answers).
 */
export async function startDistribution(config, port, ready = (url) => waitHttp(`${url}/v2/`)) {
  const dir = mkdtempSync(join(tmpdir(), 'registry-probe-distribution-'));
  const file = join(dir, 'config.yml');
  writeFileSync(file, config);
  const child = spawn('docker-registry', ['serve', file], { stdio: 'ignore' });
  const stop = () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); };
  process.once('exit', () => child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  try {
    await ready(url);
  } catch (error) {
    stop();
    throw error;
  }
  return [url, stop];
}

/** nginx's main config around `servers` (server blocks), with every path inside `dir`. */
export function nginxConfig(dir, servers) {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx-body;
  proxy_temp_path ${dir}/nginx-proxy;
  fastcgi_temp_path ${dir}/nginx-fastcgi;
  uwsgi_temp_path ${dir}/nginx-uwsgi;
  scgi_temp_path ${dir}/nginx-scgi;
${servers.join('\n')}
}
`;
}

/** A server block on 127.0.0.1:`port` holding `body` (locations). */
export const nginxServer = (port, body) => `
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 0;
${body}
  }`;

/** Starts one nginx with `servers` (server blocks); resolves to stop() once `urls` answer. */
export async function startNginx(servers, urls) {
  const dir = mkdtempSync(join(tmpdir(), 'registry-probe-nginx-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, servers));
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-e', join(dir, 'nginx-error.log')], { stdio: 'ignore' });
  const stop = () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); };
  process.once('exit', () => child.kill('SIGKILL'));
  try {
    for (const url of urls) await waitHttp(url);
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}
