// The package as consumers get it: what `npm pack` ships, the TypeScript types, the Node CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = `${root}pkg`;
const cli = `${pkg}/cli.js`;

test('npm pack ships exactly the package files, within size', () => {
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: pkg, encoding: 'utf8' }));
  const files = info.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['LICENSE-APACHE', 'LICENSE-MIT', 'README.md', 'admission.js', 'certificate.js', 'cli.js', 'dispatch-fetch.js', 'index.d.ts', 'index.js', 'node.js',
    'package.json', 'policy-fetch.js', 'policy.js', 'proxy.js', 'registry_probe.d.ts', 'registry_probe.js', 'registry_probe_bg.wasm',
    'registry_probe_bg.wasm.d.ts', 'relay.js', 'server.d.ts', 'server.js', 'session.js']);
  const manifest = JSON.parse(readFileSync(`${pkg}/package.json`, 'utf8'));
  assert.equal(manifest.name, 'registry-probe');
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.exports['.'].types, './index.d.ts');
  assert.equal(manifest.exports['.'].node, './node.js');
  assert.ok(manifest.version && manifest.license && manifest.description);
  assert.ok(manifest.repository.url && manifest.homepage && manifest.bugs.url);
  // A budget, so that growth is noticed: see the README's size table for the measured numbers.
  assert.ok(info.size < 340_000, `packed ${info.size} bytes`); // 320 KB on 2026-12-06 after issues 23, 24, 28: wasm ~248 KB gzip + README (server limits, proxies) + licences
});

test('the public types compile in a strict TypeScript consumer and have no any', () => {
  const tsc = spawnSync('npx', ['tsc', '-p', 'tests/consumers/ts'], { cwd: root, encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  const types = readFileSync(`${pkg}/index.d.ts`, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '');
  assert.doesNotMatch(types, /\bany\b/);
  const generated = readFileSync(`${pkg}/registry_probe.d.ts`, 'utf8');
  const publicPart = generated.slice(0, generated.indexOf('export type InitInput'));
  assert.doesNotMatch(publicPart.replace(/\/\*[\s\S]*?\*\//g, ''), /\bany\b/);
});

const run = (args, input, env = {}) => spawnSync(process.execPath, [cli, ...args], {
  encoding: 'utf8', input, env: { ...process.env, ...env }, timeout: 60000,
});

test('CLI: URL diagnostics and exit code 2 for a URL that cannot be probed', () => {
  const r = run(['check', 'nginx:latest']);
  assert.equal(r.status, 2);
  assert.match(r.stdout, /url-image-reference/);
  assert.match(r.stdout, /Fix: https:\/\/index\.docker\.io\/v2\//);
});

test('CLI: passwords are refused on the command line', () => {
  for (const args of [['--password', 'hunter2'], ['--password=hunter2']]) {
    const r = run(['check', 'localhost:5000', '--username', 'u', ...args]);
    assert.equal(r.status, 64);
    assert.match(r.stderr, /not taken from the command line/);
    assert.ok(!r.stderr.includes('hunter2'));
  }
});

test('CLI: every bad usage exits 64 with a message, never an uncaught exception', () => {
  for (const [args, message] of [
    [['check', 'localhost:9', '--timeout-ms', 'abc'], /--timeout-ms takes a whole number/],
    [['check', 'localhost:9', '--timeout-ms', '1.5'], /--timeout-ms takes a whole number/],
    [['check', 'localhost:9', '--timeout-ms', '0'], /--timeout-ms takes a whole number/],
    [['check', 'localhost:9', '--timeout-ms'], /--timeout-ms/],
    [['check', 'localhost:9', '--bogus'], /Unknown option '--bogus'/],
    [['check'], /expected: check <url>/],
    [['list', 'localhost:9'], /expected: check <url>/],
    [['check', 'localhost:9', 'extra'], /unexpected argument extra/],
    [['check', 'localhost:9', '--json=yes'], /--json/],
  ]) {
    const r = run(args);
    assert.equal(r.status, 64, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.match(r.stderr, /^usage: registry-probe check/m);
    assert.ok(!/\bat .*\.js:\d+/.test(r.stderr), `a stack trace for ${args.join(' ')}`);
  }
  const help = run(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: registry-probe check/);
});

test('CLI against the rig: ok 0, partial 1, failed 2; --json; password from stdin or env', { skip: !process.env.RIG_JSON }, () => {
  const rig = JSON.parse(readFileSync(process.env.RIG_JSON, 'utf8'));
  assert.equal(run(['check', rig.registries.open]).status, 0);
  const partial = run(['check', rig.registries.token, '--username', 'puller', '--password-stdin', '--repository', 'team/app/api', '--json'], 'puller-pass\n');
  assert.equal(partial.status, 1, partial.stderr);
  const json = JSON.parse(partial.stdout);
  assert.equal(json.probe.verdict, 'partial');
  assert.equal(json.probe.permissions.listImages, 'no');
  assert.ok(!partial.stdout.includes('puller-pass'));
  const viaEnv = run(['check', rig.registries.basic, '--username', 'basic-user'], '', { REGISTRY_PROBE_PASSWORD: 'basic-pass' });
  assert.equal(viaEnv.status, 0, viaEnv.stdout);
  const wrong = run(['check', rig.registries.basic, '--username', 'basic-user', '--password-stdin'], 'nope');
  assert.equal(wrong.status, 2);
  assert.match(wrong.stdout, /credentials-rejected/);
  assert.equal(run(['check', rig.closed]).status, 2);
});
