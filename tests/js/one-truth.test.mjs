// One truth, many languages: what the core decides (its codes, the step order, which findings
// mean "the page was blocked", the loopback rule) is read from the core, never copied into the
// package's JavaScript. This fails when js/*.js holds a copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import init, { isLoopbackHost, stepOrder } from 'registry-probe';

const root = new URL('../../', import.meta.url);
/** Code only: comments may name a code or a step. */
const withoutComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
const sources = readdirSync(new URL('js/', root)).filter((f) => f.endsWith('.js'))
  .map((file) => [file, withoutComments(readFileSync(new URL(`js/${file}`, root), 'utf8'))]);
// Every code of the core, from the README's tables (generated from the core's, tests/readme.rs).
const readme = readFileSync(new URL('README.md', root), 'utf8');
const table = readme.slice(readme.indexOf('<!-- codes:start -->'), readme.indexOf('<!-- codes:end -->'));
const codes = [...table.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);

test('the README lists the core\'s codes (the list this test reads)', () => {
  assert.ok(codes.length > 100, `${codes.length} codes`);
  for (const code of ['cors-blocked', 'preflight-rejected', 'url-credentials', 'probe-deadline', 'proxy-refused', 'step-ping-ok']) {
    assert.ok(codes.includes(code), code);
  }
});

test('no js/*.js file holds a core code, a step list or a loopback rule of its own', () => {
  for (const [file, text] of sources) {
    for (const code of codes) {
      // (An event name such as socket.on('timeout') is not the code.)
      assert.ok(!new RegExp(`(?<!\\.on(?:ce)?\\()['"\`]${code}['"\`]`).test(text), `js/${file} spells the core code ${code}`);
    }
    assert.doesNotMatch(text, /['"]ping['"]\s*,\s*['"]auth['"]/, `js/${file} lists the steps`);
    assert.doesNotMatch(text, /(===|!==|==|endsWith\(|startsWith\()\s*['"](localhost|\.localhost|127\.0\.0\.1|\[::1\]|::1)['"]|['"](localhost|127\.0\.0\.1|\[::1\])['"]\s*(===|!==)/,
      `js/${file} has a loopback rule of its own`);
  }
});

test('the core\'s step order and loopback rule, as the JS reads them', async () => {
  await init();
  assert.deepEqual(stepOrder(), ['ping', 'auth', 'token', 'catalog', 'tags', 'pull']);
  for (const host of ['localhost', 'registry.localhost', '127.0.0.1', '127.9.9.9', '[::1]', 'LOCALHOST.']) assert.ok(isLoopbackHost(host), host);
  for (const host of ['example.com', '10.0.0.1', 'localhost.example', '[::2]']) assert.ok(!isLoopbackHost(host), host);
});
