// Hosted registries as the public record says they answer (tests/rig/hosted.mjs, from
// ../shared/providers.md): anonymous on a public and on a private repository, right and wrong
// credentials, no repository. Beside each case: what `docker pull` would find, and the verdict
// the README's rule gives (ok: everything the connector needs works; partial: nothing needed is
// denied but something optional, such as a catalog, is; failed: not usable).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import init, { probeRegistry } from 'registry-probe';
import { ACCOUNT, URLS, startHosted } from '../rig/hosted.mjs';

let hosted;
before(async () => {
  await init();
  hosted = await startHosted();
});
after(() => hosted.stop());

const codes = (report) => report.findings.map((f) => f.code);
const WRONG = { username: ACCOUNT.username, password: 'wrong-password' };
const CASES = [
  // provider, case, request, verdict, what docker would find
  ['ghcr', 'anonymous, public', { repository: 'acme/public' }, 'ok', 'pulls'],
  ['ghcr', 'anonymous, private', { repository: 'acme/private' }, 'failed', 'denied (the token service answers 403)'],
  ['ghcr', 'account, private', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls'],
  ['ghcr', 'wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
  ['quay', 'anonymous, public', { repository: 'acme/public' }, 'ok', 'pulls (the catalog lists nothing anonymously)'],
  ['quay', 'anonymous, private', { repository: 'acme/private' }, 'failed', 'denied (a down-scoped token, then 401)'],
  ['quay', 'account, private', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls, and lists with the account'],
  ['quay', 'wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
  ['gitlab', 'anonymous, public', { repository: 'acme/public' }, 'ok', 'pulls'],
  ['gitlab', 'anonymous, private', { repository: 'acme/private' }, 'failed', 'denied (the token service answers 403)'],
  ['gitlab', 'account, private', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls'],
  ['gitlab', 'wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
  ['harbor', 'anonymous, public', { repository: 'acme/public' }, 'partial', 'pulls (the catalog is for sysadmins)'],
  ['harbor', 'anonymous, private', { repository: 'acme/private' }, 'failed', 'denied'],
  ['harbor', 'account, private', { repository: 'acme/private', ...ACCOUNT }, 'partial', 'pulls (the catalog is for sysadmins)'],
  ['harbor', 'wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'denied (Harbor issues a token that grants nothing)'],
  ['ecr', 'anonymous', { repository: 'acme/public' }, 'failed', 'no basic auth credentials'],
  ['ecr', 'account', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls'],
  ['ecr', 'wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
  ['nexus', 'anonymous', { repository: 'acme/public' }, 'failed', 'unauthorized'],
  ['nexus', 'account', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls'],
  ['nexus', 'wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
];

for (const [provider, name, request, verdict, docker] of CASES) {
  test(`${provider}, ${name}: ${verdict} (docker: ${docker})`, async () => {
    const report = await probeRegistry({ url: URLS[provider], ...request }, { fetch: hosted.fetch });
    assert.equal(report.verdict, verdict, `${provider} ${name}: ${codes(report).join(', ')}`);
    const text = JSON.stringify(report);
    assert.ok(!text.includes(ACCOUNT.password) && !text.includes('wrong-password'), 'a password in the report');
    assert.ok(!text.includes(Buffer.from(`${ACCOUNT.username}:${ACCOUNT.password}`).toString('base64')), 'a Basic value in the report');
    if (request.username === undefined) {
      assert.ok(!codes(report).includes('token-denied'), 'an anonymous check asks no scope-less token');
    }
  });
}

test('Harbor with a wrong password: the finding says the password may be wrong, as well as the access', async () => {
  const report = await probeRegistry({ url: URLS.harbor, repository: 'acme/private', ...WRONG }, { fetch: hosted.fetch });
  assert.ok(codes(report).includes('harbor-password-or-access'), codes(report).join(', '));
  assert.match(report.findings.find((f) => f.code === 'harbor-password-or-access').message, /ci-user may have a wrong password/);
  const right = await probeRegistry({ url: URLS.harbor, repository: 'acme/private', ...ACCOUNT }, { fetch: hosted.fetch });
  assert.ok(!codes(right).includes('harbor-password-or-access'), codes(right).join(', '));
});

test('no repository: the providers without a catalog say what to enter', async () => {
  for (const provider of ['ghcr', 'gitlab']) {
    const report = await probeRegistry({ url: URLS[provider] }, { fetch: hosted.fetch });
    assert.equal(report.verdict, 'partial', `${provider}: ${codes(report).join(', ')}`);
    assert.ok(codes(report).includes('no-repository'), `${provider}: ${codes(report).join(', ')}`);
  }
});
