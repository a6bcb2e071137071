// The release package in Node 20, imported by its name exactly as consumers do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import init, { validateForm, validateRegistryUrl } from 'registry-probe';
import { matchesGolden, runVectors } from './vectors.mjs';

const vectors = (name) => JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8'));

test('init() with no argument loads the .wasm from disk in Node', async () => {
  await init();
  assert.equal(validateRegistryUrl('docker.io').endpoint.url, 'https://index.docker.io/v2/');
});

test('init() accepts bytes and a compiled WebAssembly.Module', async () => {
  const bytes = readFileSync(new URL('../../pkg/registry_probe_bg.wasm', import.meta.url));
  await init(bytes);
  await init(await WebAssembly.compile(bytes));
  assert.equal(validateRegistryUrl('localhost:5000').endpoint.scheme, 'http');
});

test('registry URL vectors through the release package', async () => {
  await init();
  const doc = vectors('registry-url.json');
  const golden = vectors('registry-url.expected.json');
  const failures = runVectors(doc, (c) => matchesGolden(golden, c, validateRegistryUrl(c.input, c.options)));
  assert.deepEqual(failures, []);
  assert.ok(doc.cases.length >= 150);
});

test('bad arguments throw, bad input does not', async () => {
  await init();
  assert.throws(() => validateRegistryUrl('x', { pageProtocol: 'ftp:' }), /invalid argument/);
  assert.equal(validateRegistryUrl('\u0000\uFFFF::@@//').ok, false);
});

test('form vectors through the release package; the YAML reads back as the connector', async () => {
  await init();
  const doc = vectors('form.json');
  const golden = vectors('form.expected.json');
  let roundTrips = 0;
  const failures = runVectors(doc, (c) => {
    const actual = validateForm(c.form, c.options);
    matchesGolden(golden, c, actual);
    if (actual.yaml !== null) {
      assert.deepEqual(parseYaml(actual.yaml), actual.connector);
      roundTrips++;
    }
  });
  assert.deepEqual(failures, []);
  assert.ok(doc.cases.length >= 80);
  assert.ok(roundTrips >= 40, `only ${roundTrips} YAML round trips`);
});

test('validateForm rejects a non-object and an unknown provider type', async () => {
  await init();
  assert.throws(() => validateForm('x'), /form object/);
  assert.throws(() => validateForm({ name: 'a', url: 'b', providerType: 'Bogus' }), /invalid argument/);
});

test('the YAML of hostile strings still reads back exactly', async () => {
  await init();
  const username = 'a: b\n- "c" #d \u0000 \t ü 😀 \\ \'e\' {f} [g] & *h !i |j >k %l @m `n';
  const check = validateForm({ name: 'n', url: 'localhost:5000', auth: { type: 'UsernamePassword', username, passwordRef: 'pw' } });
  assert.equal(check.ok, true);
  assert.equal(parseYaml(check.yaml).connector.spec.auth.spec.username, username.trim());
});

test('arguments are read field by field: wrong types throw and name the field, absent and null mean the default', async () => {
  await init();
  const form = { name: 'Hub', url: 'docker.io' };
  assert.equal(validateForm({ ...form, identifier: null, auth: null, delegateSelectors: null, extra: 1 }).ok, true);
  assert.equal(validateForm(form, null).ok, true);
  for (const [bad, field] of [
    [{ ...form, name: 5 }, 'name must be a string'],
    [{ ...form, url: {} }, 'url must be a string'],
    [{ ...form, delegateSelectors: 'a' }, 'delegateSelectors has the wrong type'],
    [{ ...form, delegateSelectors: ['a', 1] }, 'delegateSelectors[1] must be a string'],
    [{ ...form, providerType: 'Bogus' }, 'providerType must be one of DockerHub, Harbor, Quay, Other'],
    [{ ...form, auth: { type: 'Bogus' } }, 'auth.type must be one of Anonymous, UsernamePassword'],
    [{ ...form, auth: {} }, 'auth.type is required'],
    [{ ...form, auth: { type: 'UsernamePassword', username: ['u'] } }, 'auth.username must be a string'],
  ]) {
    assert.throws(() => validateForm(bad), (e) => e.message === `invalid argument: ${field}`, field);
  }
  for (const [options, field] of [
    [{ messages: { 'url-empty': 1 } }, 'messages.url-empty must be a string'],
    [{ messages: 'x' }, 'messages has the wrong type'],
    [{ existingIdentifiers: 'x' }, 'existingIdentifiers has the wrong type'],
    [{ existingIdentifiers: ['a', null] }, 'existingIdentifiers[1] must be a string'],
    [5, 'the argument must be an object'],
    [{ pageProtocol: 'ftp:' }, 'pageProtocol must be one of https:, http:'],
  ]) {
    assert.throws(() => validateForm(form, options), (e) => e.message === `invalid argument: ${field}`, field);
  }
  // A translation is applied by code.
  const fr = validateForm({ name: '', url: 'docker.io' }, { messages: { 'name-required': 'Le nom est requis.' } });
  assert.equal(fr.fields.name[0].message, 'Le nom est requis.');
});

test('a bad probe request throws at once, without echoing any value', async () => {
  const { probeRegistry } = await import('registry-probe');
  await init();
  for (const request of [
    { url: 5 }, {}, { url: 'localhost:1', timeoutMs: 1.5 }, { url: 'localhost:1', maxCatalogPages: -1 },
    { url: 'localhost:1', pingOnly: 'yes' }, { url: 'localhost:1', password: 424242 },
    { url: 'localhost:1', username: ['secret-user'] },
  ]) {
    assert.throws(() => probeRegistry(request), (e) => /^invalid probe request: \w+ (is required|must be)/.test(e.message)
      && !e.message.includes('424242') && !e.message.includes('secret-user'), JSON.stringify(request));
  }
  assert.throws(() => probeRegistry({ url: 'localhost:1', password: 424242 }),
    { message: 'invalid probe request: password must be a string' });
  assert.throws(() => probeRegistry('x'), /request object/);
});

test('probeRegistry speaks the console\'s words: findings, fixes and step summaries by code', async () => {
  const { probeRegistry } = await import('registry-probe');
  await init();
  // Port 9 on loopback: nothing listens there, so the ping fails at once.
  const report = await probeRegistry({ url: 'http://127.0.0.1:9', timeoutMs: 2000 }, {
    messages: {
      unreachable: 'Rien ne répond à {detail}.',
      'unreachable.fix': 'Vérifiez l\'hôte et le port.',
      'step-ping-unreachable': 'Aucune réponse.',
      'step-not-run': 'Pas lancé.',
    },
  });
  assert.equal(report.verdict, 'failed');
  const finding = report.findings.find((f) => f.code === 'unreachable');
  assert.equal(finding.message, 'Rien ne répond à http://127.0.0.1:9.');
  assert.equal(finding.fix, 'Vérifiez l\'hôte et le port.');
  assert.equal(report.steps[0].summary, 'Aucune réponse.');
  assert.deepEqual(report.steps.slice(1).map((s) => s.summary), Array(5).fill('Pas lancé.'));
  assert.throws(() => probeRegistry({ url: 'localhost:9' }, { messages: { unreachable: 1 } }),
    { message: 'invalid argument: messages.unreachable must be a string' });
});
