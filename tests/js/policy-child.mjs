// Run by runtimes.test.mjs under Node, Deno and Bun: the server's address policy, exercised as a
// console would use it, with every answer printed as one JSON line for the parent to judge.
// Servers on loopback only: `inside` stands for what the policy protects (it counts every
// connection that reaches it); `registry` is a registry the policy allows by name, whose token
// realm or redirect points inside; `allowed` is reached only where the policy allows loopback.
import { createServer } from 'node:http';
import { createProbeHandler } from 'registry-probe/server';

const listen = (handler) => new Promise((resolve) => {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1', () => resolve(server));
});
const hits = { inside: 0, registry: 0, allowed: 0 };
const registryAnswer = (res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0' });
  res.end('{}');
};
const inside = await listen((req, res) => { hits.inside++; registryAnswer(res); });
const allowed = await listen((req, res) => { hits.allowed++; registryAnswer(res); });
const insidePort = inside.address().port;
const registry = await listen((req, res) => {
  hits.registry++;
  if (req.url.startsWith('/redirect/')) {
    res.writeHead(302, { Location: `http://[::ffff:127.0.0.1]:${insidePort}/v2/` });
    return res.end();
  }
  res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://127.0.0.1:${insidePort}/token",service="test"` });
  return res.end();
});
const registryPort = registry.address().port;

// Names resolve only through this table, inside the handler's connector: a runtime that skipped
// the connector would look them up for real, and `.test` names resolve nowhere.
const table = { 'registry.example': '127.0.0.1', 'registry.test': '127.0.0.1', 'internal.test': '10.1.2.3', 'metadata.test': '169.254.169.254', 'six.test': 'fd00::1' };
const lookup = (name, options, callback) => (table[name]
  ? callback(null, [{ address: table[name], family: table[name].includes(':') ? 6 : 4 }])
  : callback(Object.assign(new Error(`${name} not found`), { code: 'ENOTFOUND' })));

const handlers = {
  default: createProbeHandler({ lookup }),
  registryAllowed: createProbeHandler({ lookup, allowHosts: ['registry.test'] }),
  loopbackAllowed: createProbeHandler({ allowHosts: ['127.0.0.1'] }),
  // The caller's own fetch, vouched to enforce the policy: here it refuses every address.
  policyFetch: createProbeHandler({
    policyFetch: async (request) => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(new URL(request.url).hostname), { code: 'ERR_ADDRESS_NOT_ALLOWED' }) });
    },
  }),
};
// A wrapper installed after the handlers exist (an APM agent, a framework's patch) that drops
// every option: the handlers captured their fetch at construction and must not notice.
const original = globalThis.fetch;
globalThis.fetch = (input) => original(input);

const ready = {};
for (const [name, handler] of Object.entries(handlers)) {
  ready[name] = await handler.ready.then(() => null, (error) => error.message);
}

const post = async (handler, body) => {
  const response = await handler(new Request('http://console.test/probe', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  }));
  const answer = await response.json();
  return { status: response.status, codes: answer.findings?.map((f) => f.code) ?? null, message: answer.findings?.[0]?.message ?? null, error: answer.error ?? null };
};

const cases = [];
const run = async (name, handler, body) => cases.push({ name, ...(await post(handlers[handler], body)) });
for (const host of ['127.0.0.1', 'localhost', '[::1]', '[::ffff:127.0.0.1]', '2130706433', '0x7f.1', '127.1', 'registry.example']) {
  await run(`loopback ${host}`, 'default', { url: `http://${host}:${insidePort}` });
}
for (const host of ['internal.test', 'metadata.test', 'six.test']) await run(`private ${host}`, 'default', { url: `http://${host}:${insidePort}` });
await run('realm inside', 'registryAllowed', { url: `http://registry.test:${registryPort}` });
await run('redirect inside', 'registryAllowed', { url: `http://registry.test:${registryPort}/redirect/` });
await run('policyFetch', 'policyFetch', { url: `http://127.0.0.1:${insidePort}` });
const hitsBeforeControl = { ...hits };
await run('loopback allowed', 'loopbackAllowed', { url: `http://127.0.0.1:${allowed.address().port}` });

globalThis.fetch = original;
for (const server of [inside, allowed, registry]) server.close();
const runtime = globalThis.Bun ? `Bun ${globalThis.Bun.version}` : globalThis.Deno ? `Deno ${globalThis.Deno.version.deno}` : `Node ${process.version}`;
process.stdout.write(`${JSON.stringify({ runtime, ready, cases, hits: hitsBeforeControl, allowedHits: hits.allowed })}\n`);
process.exit(0);
