// registry-probe/server's address policy on every runtime the README names: Node, Deno and Bun
// (installed from their npm platform packages by scripts/setup.sh). Each runs policy-child.mjs;
// where the runtime can enforce the policy, every refused target is `address-not-allowed` with
// nothing sent; where it cannot (Bun), the handler refuses to probe at all, naming the runtime.
// Counting loopback servers prove, on every runtime, that nothing reached a refused address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('../../', import.meta.url).pathname;
const child = new URL('policy-child.mjs', import.meta.url).pathname;
const runtimes = {
  node: { command: process.execPath, args: [child], enforces: true },
  deno: {
    command: `${root}node_modules/@deno/linux-x64-glibc/deno`,
    args: ['run', '--allow-all', '--no-lock', '--no-config', '--node-modules-dir=manual', child],
    enforces: true,
  },
  bun: { command: `${root}node_modules/@oven/bun-linux-x64/bin/bun`, args: [child], enforces: false },
};

function runIn(name) {
  const { command, args } = runtimes[name];
  assert.ok(existsSync(command), `${name} is missing at ${command}: run scripts/setup.sh`);
  const result = spawnSync(command, args, {
    cwd: root, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', NO_COLOR: '1' },
  });
  assert.equal(result.status, 0, `${name} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

const REFUSED_CASES = [
  'loopback 127.0.0.1', 'loopback localhost', 'loopback [::1]', 'loopback [::ffff:127.0.0.1]', 'loopback 2130706433',
  'loopback 0x7f.1', 'loopback 127.1', 'loopback registry.example', 'private internal.test', 'private metadata.test',
  'private six.test', 'realm inside', 'redirect inside',
];

for (const name of Object.keys(runtimes)) {
  test(`${name}: no probe through the server reaches an address its policy refuses`, () => {
    const out = runIn(name);
    console.log(`${out.runtime}: ready ${JSON.stringify(out.ready)}, hits ${JSON.stringify(out.hits)}`);
    const byName = Object.fromEntries(out.cases.map((c) => [c.name, c]));
    assert.deepEqual(Object.keys(byName).filter((c) => REFUSED_CASES.includes(c)).sort(), [...REFUSED_CASES].sort());
    assert.equal(out.hits.inside, 0, 'nothing reached the protected server');
    // The caller's policyFetch is used as given, on every runtime, and the handler adds nothing.
    assert.equal(out.ready.policyFetch, null);
    assert.deepEqual(byName.policyFetch.codes, ['address-not-allowed']);
    assert.match(byName.policyFetch.message, /127\.0\.0\.1/);
    if (runtimes[name].enforces) {
      for (const handler of ['default', 'registryAllowed', 'loopbackAllowed']) assert.equal(out.ready[handler], null, handler);
      for (const c of REFUSED_CASES) {
        assert.equal(byName[c].status, 200, c);
        assert.deepEqual(byName[c].codes, ['address-not-allowed'], c);
      }
      // The allowed registry was reached (its realm and redirect were what got refused), and a
      // policy that allows loopback reaches it: the refusals above are the policy's, not a fault.
      assert.ok(out.hits.registry >= 2, `registry hits ${out.hits.registry}`);
      assert.ok(out.allowedHits > 0, 'a loopback registry the policy allows is probed');
      assert.equal(byName['loopback allowed'].status, 200);
    } else {
      for (const handler of ['default', 'registryAllowed', 'loopbackAllowed']) {
        assert.match(out.ready[handler], new RegExp(`not in force on ${out.runtime.split(' ')[0]} \\d`), handler);
        assert.match(out.ready[handler], /policyFetch/);
      }
      for (const c of [...REFUSED_CASES, 'loopback allowed']) {
        assert.equal(byName[c].status, 500, c);
        assert.equal(byName[c].error, out.ready.default, c);
      }
      assert.equal(out.hits.registry, 0, 'nothing was probed at all');
      assert.equal(out.allowedHits, 0, 'not even where the policy would allow it');
    }
  });
}
