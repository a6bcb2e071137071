// The release package in Node 20, imported by its name exactly as consumers do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import init, { validateForm, validateRegistryUrl } from 'registry-probe';
import { compareForm, compareUrl, runVectors } from './vectors.mjs';

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
  const failures = runVectors(doc, (c) => compareUrl(c, validateRegistryUrl(c.input, c.options)));
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
  let roundTrips = 0;
  const failures = runVectors(doc, (c) => {
    const actual = validateForm(c.form, c.options);
    compareForm(c, actual);
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
