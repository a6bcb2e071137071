// Every Docker Hub URL the field accepts gets Docker Hub's verdict from the probe, against the
// rig's Docker Hub personality (tests/rig/dockerhub.mjs, answering as ../shared/providers.md §1
// records): the v1 URL the form's documentation gives (`index.docker.io/v1/`) included, and the
// quiet ping of createConnectorForm too. The field and the probe never contradict each other.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import init, { createConnectorForm, probeRegistry, validateRegistryUrl } from 'registry-probe';
import { startDockerHub } from '../rig/dockerhub.mjs';

const vectors = JSON.parse(readFileSync(new URL('../vectors/registry-url.json', import.meta.url), 'utf8')).cases;
const CONTRADICTIONS = ['not-a-registry', 'v1-only', 'url-invalid'];
const codes = (report) => report.findings.map((f) => f.code);
let hub;
before(async () => {
  await init();
  hub = await startDockerHub();
});
after(() => hub.stop());

/** The vectors that validate without error as Docker Hub on the default port. */
function dockerHubVectors() {
  return vectors.map((c) => c.input).filter((input) => {
    const check = validateRegistryUrl(input);
    return check.ok && check.endpoint?.provider === 'dockerhub' && check.endpoint.port === null;
  });
}

test('the vectors hold Docker Hub URLs of every kind: hosts, /v1/, /v2/, none', () => {
  const inputs = dockerHubVectors();
  const urls = inputs.map((input) => validateRegistryUrl(input).endpoint.url);
  assert.ok(inputs.length >= 8, inputs.join(' | '));
  for (const url of ['https://index.docker.io/v2/', 'https://index.docker.io/v1/', 'https://registry.hub.docker.com/v2/']) {
    assert.ok(urls.includes(url), `${url} among ${urls.join(', ')}`);
  }
  assert.ok(inputs.includes('index.docker.io/v1/'), 'the form documentation\'s URL is a vector');
});

test('every Docker Hub URL vector gets Docker Hub\'s verdict, with and without an account', async () => {
  for (const input of dockerHubVectors()) {
    const field = validateRegistryUrl(input);
    const anonymous = await probeRegistry({ url: input, repository: 'library/alpine' }, { fetch: hub.fetch });
    assert.equal(anonymous.verdict, 'ok', `${input}: ${codes(anonymous).join()}`);
    assert.equal(anonymous.apiVersion, 'v2', input);
    assert.deepEqual(anonymous.endpoint, field.endpoint, `${input}: the endpoint as validated`);
    assert.ok(!codes(anonymous).some((c) => CONTRADICTIONS.includes(c)), `${input}: ${codes(anonymous).join()}`);
    assert.ok(anonymous.trace.every((t) => !new URL(t.url).pathname.startsWith('/v1/')), `${input}: no v1 request`);
    assert.equal(codes(anonymous).includes('dockerhub-v1-as-v2'), field.endpoint.apiVersion === 'v1', input);
    // With the account: a private repository; a wrong password is named as such.
    const own = await probeRegistry({ url: input, repository: 'acme/private', ...hub.account }, { fetch: hub.fetch });
    assert.equal(own.verdict, 'ok', `${input}: ${codes(own).join()}`);
    const wrong = await probeRegistry({ url: input, repository: 'acme/private', username: hub.account.username, password: 'nope' }, { fetch: hub.fetch });
    assert.equal(wrong.verdict, 'failed', input);
    assert.ok(!JSON.stringify(own).includes(hub.account.password));
  }
});

test('the field and the quiet ping agree for every Docker Hub URL vector (createConnectorForm)', async () => {
  const saved = globalThis.fetch;
  globalThis.fetch = hub.fetch; // the session's ping uses the global fetch, as in a console
  try {
    for (const input of dockerHubVectors()) {
      const session = createConnectorForm({ pingDelayMs: 0 });
      const done = new Promise((resolve) => session.subscribe((state) => { if (state.ping.status === 'done') resolve(state); }));
      const check = session.update({ name: 'Hub', url: input });
      assert.ok(check.fields.url.every((d) => d.severity !== 'error'), input);
      const state = await done;
      session.dispose();
      assert.equal(state.ping.report.permissions.reach, 'yes', `${input}: ${codes(state.ping.report).join()}`);
      assert.equal(state.ping.report.apiVersion, 'v2', input);
      assert.ok(!codes(state.ping.report).some((c) => CONTRADICTIONS.includes(c)), `${input}: ${codes(state.ping.report).join()}`);
    }
  } finally {
    globalThis.fetch = saved;
  }
});

test('the field\'s v1 warning has the v2 URL as its fix', () => {
  const check = validateRegistryUrl('index.docker.io/v1/');
  const warning = check.diagnostics.find((d) => d.code === 'url-dockerhub-v1-retired');
  assert.deepEqual(warning.fix, { label: 'Use https://index.docker.io/v2/', value: 'https://index.docker.io/v2/' });
  assert.match(warning.message, /read this address as Docker Hub's v2 API/);
});

test('official images by their usual name: alpine is library/alpine, alpine:3.20 checks that tag; another registry sends nothing', async () => {
  for (const repository of ['alpine', 'alpine:3.20', 'docker.io/alpine', 'docker.io/library/alpine:latest']) {
    const report = await probeRegistry({ url: 'docker.io', repository }, { fetch: hub.fetch });
    assert.equal(report.verdict, 'ok', `${repository}: ${codes(report).join()}`);
    assert.equal(report.tags.repository, 'library/alpine', repository);
  }
  const tagged = await probeRegistry({ url: 'docker.io', repository: 'alpine:3.20' }, { fetch: hub.fetch });
  assert.ok(tagged.trace.some((t) => t.url.endsWith('/v2/library/alpine/manifests/3.20')));
  const before = hub.log.length;
  const elsewhere = await probeRegistry({ url: 'docker.io', repository: 'ghcr.io/acme/app' }, { fetch: hub.fetch });
  assert.deepEqual(codes(elsewhere), ['repository-other-registry']);
  assert.equal(hub.log.length, before, 'nothing was sent');
  // Anonymous, no scope-less token is asked for (Hub would issue one; Quay, Harbor and GitLab refuse it).
  const anonymous = await probeRegistry({ url: 'docker.io', repository: 'alpine' }, { fetch: hub.fetch });
  assert.ok(anonymous.trace.every((t) => !t.url.startsWith('https://auth.docker.io/') || t.url.includes('scope=')), anonymous.trace.map((t) => t.url).join(' '));
});
