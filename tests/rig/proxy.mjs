// Forward proxies on loopback for the proxy tests: Debian's tinyproxy, started from config text
// (ConnectPort for the ports it may tunnel to, BasicAuth for a 407), with its log readable; and,
// in addition, a small recording CONNECT server for answers tinyproxy cannot give (an NTLM
// challenge) and for proving which names a proxy was asked for without it resolving any.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free loopback port (closed again at once). */
export function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`tinyproxy exited with ${child.exitCode}`);
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('tinyproxy did not start within 5 s');
}

/**
 * Starts tinyproxy on loopback. `connectPorts`: the only ports CONNECT may reach (a CONNECT to
 * another is 403); `basicAuth`: `[user, password]` to demand (407 without them).
 * Returns `{ url, port, connects(), stop() }`; `connects()` lists the CONNECT targets it logged.
 */
export async function startTinyproxy({ connectPorts = [], basicAuth = null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tinyproxy-'));
  const port = await freePort();
  const log = join(dir, 'tinyproxy.log');
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 30',
    `LogFile "${log}"`,
    'LogLevel Connect',
    'MaxClients 50',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    ...connectPorts.map((p) => `ConnectPort ${p}`),
    ...(basicAuth ? [`BasicAuth ${basicAuth[0]} ${basicAuth[1]}`] : []),
  ].join('\n');
  writeFileSync(join(dir, 'tinyproxy.conf'), `${config}\n`);
  writeFileSync(log, '');
  const child = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
  await waitForPort(port, child);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects: () => [...readFileSync(log, 'utf8').matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map((m) => m[1]),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

/**
 * A CONNECT server that records each target and answers every CONNECT with `status` and
 * `headers` (it never opens a tunnel or resolves a name). Returns `{ url, targets, stop() }`.
 */
export async function startRecordingProxy(status, headers = {}) {
  const targets = [];
  const server = createServer((socket) => {
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk;
      if (!head.includes('\r\n\r\n')) return;
      const target = head.match(/^CONNECT (\S+) HTTP/)?.[1];
      if (target) targets.push(target);
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(`HTTP/1.1 ${status} Proxy Answer\r\n${lines}Content-Length: 0\r\nConnection: close\r\n\r\n`);
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, targets, stop: () => new Promise((resolve) => server.close(resolve)) };
}
