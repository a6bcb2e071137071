// createConnectorForm in Node: the quiet ping, Test connection, cancellation and disposal, on
// a counting registry on loopback (and the rig's real registries when RIG_JSON is set).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import init, { createConnectorForm } from 'registry-probe';

const PASSWORD = 'session-secret-pw';
let server, base;
/** Every request the counting registry received: { path, at } (ms since start). */
const seen = [];
const open = new Set();
const started = Date.now();
/** The `/slow/` requests the server has answered (written, whether or not the client stayed). */
const slowAnswered = [];

before(async () => {
  await init();
  // A registry that answers /v2/ under any prefix; `/slow/` answers after 400 ms, `/hang/` never.
  server = createServer((req, res) => {
    seen.push({ path: req.url, at: Date.now() - started });
    open.add(res);
    res.on('close', () => open.delete(res));
    const answer = () => {
      if (req.url.startsWith('/slow/')) slowAnswered.push(req.url);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Docker-Distribution-Api-Version': 'registry/2.0' });
      res.end(req.url.endsWith('/_catalog?n=100') ? '{"repositories":[]}' : '{}');
    };
    if (req.url.startsWith('/hang/')) return;
    if (req.url.startsWith('/slow/')) setTimeout(answer, 400);
    else answer();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => {
  for (const res of open) res.destroy();
  server.close();
});

const form = (url, extra = {}) => ({ name: 'Session', url, ...extra });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(predicate, ms = 5000) {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(5);
  }
}
const pingsTo = (prefix) => seen.filter((r) => r.path === `${prefix}/v2/`);

test('fast typing across three URLs pings only the last, after the pause', async () => {
  const session = createConnectorForm({ pingDelayMs: 60 });
  for (const p of ['/t1a', '/t1b', '/t1c']) {
    session.update(form(`${base}${p}`));
    await sleep(10);
  }
  assert.equal(session.state.ping.status, 'waiting');
  await until(() => session.state.ping.status === 'done');
  assert.deepEqual([pingsTo('/t1a').length, pingsTo('/t1b').length, pingsTo('/t1c').length], [0, 0, 1]);
  assert.equal(session.state.ping.url, `${base}/t1c/v2/`);
  assert.equal(session.state.ping.report.endpoint.url, session.state.ping.url);
  assert.equal(session.state.ping.report.steps[0].status, 'ok');
  session.dispose();
});

test('a slow ping for URL A answered after the user moved to URL B never shows', async () => {
  const session = createConnectorForm({ pingDelayMs: 0 });
  const states = [];
  session.subscribe((s) => states.push(s));
  session.update(form(`${base}/slow/a`));
  // A's ping is in flight: the server has it (waiting for the session's state alone would race
  // the connection, and under load A might not be sent at all).
  await until(() => pingsTo('/slow/a').length === 1);
  session.update(form(`${base}/t2b`));
  await until(() => session.state.ping.status === 'done');
  await until(() => slowAnswered.includes('/slow/a/v2/')); // the slow answer for A is out
  await sleep(50);
  assert.equal(pingsTo('/slow/a').length, 1);
  assert.equal(session.state.ping.url, `${base}/t2b/v2/`);
  for (const s of states) {
    if (s.ping.report) assert.equal(s.ping.report.endpoint.url, s.ping.url, 'a report always belongs to its URL');
  }
  assert.ok(!states.some((s) => s.ping.url === `${base}/slow/a/v2/` && s.ping.report), 'A never shows');
  session.dispose();
});

test('an invalid URL has no ping; an unchanged URL keeps its ping', async () => {
  const session = createConnectorForm({ pingDelayMs: 0 });
  session.update(form(`${base}/t3`));
  await until(() => session.state.ping.status === 'done');
  const before = pingsTo('/t3').length;
  session.update(form(`${base}/t3`, { name: 'Renamed' }));
  assert.equal(session.state.ping.status, 'done');
  assert.equal(pingsTo('/t3').length, before);
  session.update(form('ftp://nope'));
  assert.deepEqual(session.state.ping, { status: 'idle', url: null, report: null });
  assert.equal(session.state.check.ok, false);
  session.dispose();
});

test('two quick test() calls leave one report: the older rejects with an AbortError', async () => {
  const session = createConnectorForm({ autoPing: false });
  session.update(form(`${base}/hang/t4`));
  const first = session.test();
  session.update(form(`${base}/t4`));
  const second = session.test();
  await assert.rejects(first, { name: 'AbortError' });
  const report = await second;
  assert.equal(report.endpoint.url, `${base}/t4/v2/`);
  assert.equal(session.state.test.status, 'done');
  assert.equal(session.state.test.report, report);
  await until(() => ![...open].length);
  session.dispose();
});

test('cancel() stops the test: status cancelled, the promise rejects, nothing stays open', async () => {
  const session = createConnectorForm({ autoPing: false });
  session.update(form(`${base}/hang/t5`));
  const run = session.test();
  await until(() => seen.some((r) => r.path === '/hang/t5/v2/'));
  session.cancel();
  assert.equal(session.state.test.status, 'cancelled');
  await assert.rejects(run, { name: 'AbortError' });
  await until(() => ![...open].length);
  session.dispose();
});

test('listeners see every change once, in order; the password is in no state or event', async () => {
  const session = createConnectorForm({ pingDelayMs: 0 });
  const states = [];
  session.subscribe((s) => states.push(s));
  const unsubscribed = [];
  const stop = session.subscribe((s) => unsubscribed.push(s));
  stop();
  const auth = { type: 'UsernamePassword', username: 'ci', passwordRef: 'account.pw' };
  session.update(form(`${base}/t6`, { auth }));
  const report = await session.test({ password: PASSWORD, repository: 'team/app' });
  await until(() => session.state.ping.status === 'done');
  assert.equal(unsubscribed.length, 0);
  assert.equal(states.at(-1), session.state, 'the last event is the current state');
  assert.equal(new Set(states).size, states.length, 'each state object once');
  const statuses = states.map((s) => s.test.status).filter((s, i, all) => s !== all[i - 1]);
  assert.deepEqual(statuses, ['idle', 'running', 'done']);
  assert.ok(states.some((s) => s.test.status === 'running' && s.test.steps.length > 0), 'live steps');
  assert.equal(report.steps.length, 6);
  const text = JSON.stringify(states);
  assert.ok(!text.includes(PASSWORD));
  assert.ok(!text.includes(Buffer.from(`ci:${PASSWORD}`).toString('base64')));
  session.dispose();
});

test('dispose() leaves nothing in flight and no late request; later calls throw', async () => {
  const session = createConnectorForm({ pingDelayMs: 150 });
  session.update(form(`${base}/hang/t7`)); // the ping waits 150 ms
  const run = session.test(); // in flight: this registry never answers
  await until(() => seen.some((r) => r.path === '/hang/t7/v2/'));
  assert.equal(session.state.ping.status, 'waiting');
  session.dispose();
  const at = Date.now() - started;
  await assert.rejects(run, { name: 'AbortError' });
  await sleep(400); // past the ping's pause
  assert.deepEqual(seen.filter((r) => r.at > at).map((r) => r.path), [], 'no request after dispose');
  await until(() => ![...open].length);
  assert.throws(() => session.update(form(base)), /disposed/);
  assert.throws(() => session.test(), /disposed/);
  assert.throws(() => session.subscribe(() => {}), /disposed/);
  session.dispose(); // a second dispose is harmless
});

test('Test connection against the rig\'s open registry: ok, with the verdict sentence from the report', { skip: !process.env.RIG_JSON }, async () => {
  const rig = JSON.parse(readFileSync(process.env.RIG_JSON, 'utf8'));
  const session = createConnectorForm({ autoPing: false, messages: { 'verdict-ok': 'Tout fonctionne.' } });
  session.update(form(rig.registries.open));
  const report = await session.test();
  assert.equal(report.verdict, 'ok');
  assert.equal(report.summary, 'Tout fonctionne.');
  assert.equal(session.state.test.report.catalog.repositories.length, rig.repositories.length);
  session.dispose();
});

test('relay: the session sends its probes to the console\'s server as probeRegistry would', async () => {
  const { createProbeHandler, toNodeListener } = await import('registry-probe/server');
  const relay = createServer(toNodeListener(createProbeHandler({ allowHosts: ['127.0.0.1'] })));
  await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const session = createConnectorForm({ pingDelayMs: 0, relay: { url: `http://127.0.0.1:${relay.address().port}/probe`, mode: 'always' } });
  session.update(form(`${base}/t9`));
  const report = await session.test();
  assert.equal(report.ranFrom, 'relay');
  await until(() => session.state.ping.status === 'done');
  assert.equal(session.state.ping.report.ranFrom, 'relay');
  session.dispose();
  relay.close();
});
