// Hosted registries as the public record says they answer (tests/rig/hosted.mjs, from
// ../shared/providers.md): anonymous on a public and on a private repository, right and wrong
// credentials, no repository. Beside each case: what `docker pull` would find, and the verdict
// the README's rule gives (ok: everything the connector needs works; partial: nothing needed is
// denied but something optional, such as a catalog, is; failed: not usable).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import init, { probeRegistry } from 'registry-probe';
import { createProbeHandler } from 'registry-probe/server';
import { ACCOUNTS, HOSTS, URLS, makeHostedCertificates, startHosted } from '../rig/hosted.mjs';
import { startDockerHub } from '../rig/dockerhub.mjs';

let hosted, hub;
/** Docker Hub's hosts to its personality, the others to theirs. */
const fetchAll = (request) => (hub.hosts.includes(new URL(request.url).host) ? hub.fetch(request) : hosted.fetch(request));
const issued = () => [...hosted.tokens(), ...hub.tokens()];
before(async () => {
  await init();
  hosted = await startHosted();
  hub = await startDockerHub();
});
after(() => Promise.all([hosted.stop(), hub.stop()]));

/** The secrets of a case that its report must never hold: the password, its Basic value, every token issued. */
function leaks(report, request, issued) {
  const text = JSON.stringify(report);
  const secrets = [...issued];
  if (request.password) {
    secrets.push(request.password, Buffer.from(`${request.username}:${request.password}`).toString('base64'));
  }
  return secrets.filter((secret) => text.includes(secret));
}
/** What the direct run of each case found, for the server's run to match. */
const found = new Map();

const codes = (report) => report.findings.map((f) => f.code);
const ACCOUNT = ACCOUNTS.ghcr;
const WRONG = { username: ACCOUNT.username, password: 'wrong-password' };
const HUB = { username: 'hub-user', password: 'hub-PASSWORD-1e0c' }; // tests/rig/dockerhub.mjs
const HUB_URL = 'docker.io';
/** Every personality's cases: [case, request, verdict, what docker would find]. */
const FOR = {
  dockerhub: [
    ['anonymous, public', { repository: 'alpine' }, 'ok', 'pulls library/alpine'],
    ['anonymous, private', { repository: 'acme/private' }, 'failed', 'denied (a token that grants nothing, then 401)'],
    ['account, private', { repository: 'acme/private', ...HUB }, 'ok', 'pulls'],
    ['wrong password', { repository: 'acme/private', username: HUB.username, password: 'wrong-password' }, 'failed', 'login fails'],
    ['no repository', {}, 'partial', 'nothing to pull named (Docker Hub has no catalog)'],
  ],
  ghcr: [
    ['anonymous, public', { repository: 'acme/public' }, 'ok', 'pulls'],
    ['anonymous, private', { repository: 'acme/private' }, 'failed', 'denied (the token service answers 403)'],
    ['account, private', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls'],
    ['wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
    ['no repository', {}, 'partial', 'nothing to pull named (GHCR has no catalog)'],
  ],
  quay: [
    ['anonymous, public', { repository: 'acme/public' }, 'ok', 'pulls (the catalog lists nothing anonymously)'],
    ['anonymous, private', { repository: 'acme/private' }, 'failed', 'denied (a down-scoped token, then 401)'],
    ['account, private', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls, and lists with the account'],
    ['wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
    ['no repository, account', { ...ACCOUNT }, 'ok', 'lists, pulls the first'],
  ],
  gitlab: [
    ['anonymous, public', { repository: 'acme/public' }, 'ok', 'pulls'],
    ['anonymous, private', { repository: 'acme/private' }, 'failed', 'denied (the token service answers 403)'],
    ['account, private', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls'],
    ['wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
    ['no repository', {}, 'partial', 'nothing to pull named (GitLab.com has no catalog)'],
  ],
  harbor: [
    ['anonymous, public', { repository: 'acme/public' }, 'partial', 'pulls (the catalog is for sysadmins)'],
    ['anonymous, private', { repository: 'acme/private' }, 'failed', 'denied'],
    ['account, private', { repository: 'acme/private', ...ACCOUNT }, 'partial', 'pulls (the catalog is for sysadmins)'],
    ['wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'denied (Harbor issues a token that grants nothing)'],
    ['no repository, account', { ...ACCOUNT }, 'partial', 'nothing listed to pull (the catalog is for sysadmins)'],
  ],
  ecr: [
    ['anonymous', { repository: 'acme/public' }, 'failed', 'no basic auth credentials'],
    ['account (AWS + get-login-password)', { repository: 'acme/private', ...ACCOUNTS.ecr }, 'ok', 'pulls (for 11 more hours)'],
    ['wrong password', { repository: 'acme/private', username: 'AWS', password: 'wrong-password' }, 'failed', 'login fails'],
    ['no repository, account', { ...ACCOUNTS.ecr }, 'ok', 'lists, pulls the first'],
  ],
  nexus: [
    ['anonymous', { repository: 'acme/public' }, 'failed', 'unauthorized'],
    ['account', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls'],
    ['wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
    ['no repository, account', { ...ACCOUNT }, 'ok', 'lists, pulls the first'],
  ],
  gar: [
    ['anonymous, public', { repository: 'acme/public' }, 'partial', 'pulls (no catalog is listed)'],
    ['anonymous, private', { repository: 'acme/private' }, 'failed', 'denied (the token service answers 403 DENIED)'],
    ['account (_json_key), private', { repository: 'acme/private', ...ACCOUNTS.gar }, 'partial', 'pulls (no catalog is listed)'],
    ['wrong key', { repository: 'acme/private', username: '_json_key', password: '{"type":"service_account"}' }, 'failed', 'login fails'],
    ['no repository, account', { ...ACCOUNTS.gar }, 'partial', 'nothing listed to pull'],
  ],
  gcr: [
    ['anonymous, public', { repository: 'acme/public' }, 'partial', 'pulls (the catalog needs an account)'],
    ['anonymous, private', { repository: 'acme/private' }, 'failed', 'denied (the token service answers 403)'],
    ['account (_json_key), private', { repository: 'acme/private', ...ACCOUNTS.gcr }, 'ok', 'pulls; the catalog lists every project of the account'],
    ['wrong key', { repository: 'acme/private', username: '_json_key', password: '{"type":"service_account"}' }, 'failed', 'login fails'],
    ['no repository, account', { ...ACCOUNTS.gcr }, 'ok', 'lists, pulls the first'],
  ],
  acr: [
    ['anonymous, public', { repository: 'acme/public' }, 'failed', 'unauthorized (anonymous pull is off)'],
    ['anonymous, private', { repository: 'acme/private' }, 'failed', 'unauthorized'],
    ['admin account, private', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls; tags need metadata_read, which the probe asks for'],
    ['wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
    ['no repository, account', { ...ACCOUNT }, 'ok', 'lists (two pages), pulls the first'],
  ],
  artifactory: [
    ['anonymous, public', { repository: 'acme/public' }, 'failed', 'unauthorized (anonymous access is off: 406)'],
    ['anonymous, private', { repository: 'acme/private' }, 'failed', 'unauthorized'],
    ['account, private', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls'],
    ['wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
    ['no repository, account', { ...ACCOUNT }, 'ok', 'lists, pulls the first'],
  ],
  'nexus-bearer': [
    ['anonymous, public', { repository: 'acme/public' }, 'partial', 'pulls (the catalog needs an account)'],
    ['anonymous, private', { repository: 'acme/private' }, 'failed', 'unauthorized'],
    ['account, private', { repository: 'acme/private', ...ACCOUNT }, 'ok', 'pulls'],
    ['wrong password', { repository: 'acme/private', ...WRONG }, 'failed', 'login fails'],
    ['no repository, account', { ...ACCOUNT }, 'ok', 'lists, pulls the first'],
  ],
};
export const CASES = Object.entries(FOR).flatMap(([provider, cases]) => cases.map((c) => [provider, ...c]));

for (const [provider, name, request, verdict, docker] of CASES) {
  test(`${provider}, ${name}: ${verdict} (docker: ${docker})`, async () => {
    const report = await probeRegistry({ url: URLS[provider] ?? HUB_URL, ...request }, { fetch: fetchAll });
    assert.equal(report.verdict, verdict, `${provider} ${name}: ${codes(report).join(', ')}`);
    assert.deepEqual(leaks(report, request, issued()), [], 'a secret in the report');
    found.set(`${provider} ${name}`, codes(report));
    if (request.username === undefined) {
      assert.ok(!codes(report).includes('token-denied'), 'an anonymous check asks no scope-less token');
    }
  });
}

test('ECR\'s 12-hour password: ok now, and the report says when it expires and what lasts', async () => {
  const report = await probeRegistry({ url: URLS.ecr, repository: 'acme/private', ...ACCOUNTS.ecr }, { fetch: hosted.fetch });
  const expires = report.findings.find((f) => f.code === 'credential-expires');
  assert.ok(expires, codes(report).join(', '));
  assert.match(expires.message, /expires in 1[01] hours/);
  assert.match(expires.fix, /IAM/);
  assert.ok(!codes(report).includes('username-ecr'), codes(report).join(', '));
});

test('Harbor with a wrong password: the finding says the password may be wrong, as well as the access', async () => {
  const report = await probeRegistry({ url: URLS.harbor, repository: 'acme/private', ...WRONG }, { fetch: hosted.fetch });
  assert.ok(codes(report).includes('harbor-password-or-access'), codes(report).join(', '));
  assert.match(report.findings.find((f) => f.code === 'harbor-password-or-access').message, /ci-user may have a wrong password/);
  const right = await probeRegistry({ url: URLS.harbor, repository: 'acme/private', ...ACCOUNT }, { fetch: hosted.fetch });
  assert.ok(!codes(right).includes('harbor-password-or-access'), codes(right).join(', '));
});

/**
 * The same cases through the console's server (registry-probe/server): the personalities over
 * https on 127.0.0.1:443 with a certificate a test CA issued for every host, the handler
 * resolving those hosts to 127.0.0.1 (an injected lookup), allowing them by name, trusting the CA.
 */
test('every case through registry-probe/server: real host names over TLS on 127.0.0.1:443, the same verdicts and findings', { timeout: 120000 }, async () => {
  const hosts = [...HOSTS, ...hub.hosts];
  const certificates = makeHostedCertificates(hosts);
  const tls = await startHosted({ tls: certificates, forward: { hosts: hub.hosts, fetch: hub.fetch } });
  try {
    const lookup = (name, options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]);
    const handler = createProbeHandler({ allowHosts: hosts, lookup, ca: certificates.ca });
    await handler.ready;
    for (const [provider, name, request, verdict] of CASES) {
      const response = await handler(new Request('http://console.test/probe', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: URLS[provider] ?? HUB_URL, ...request }),
      }));
      assert.equal(response.status, 200, `${provider} ${name}`);
      const report = await response.json();
      assert.equal(report.verdict, verdict, `${provider} ${name} through the server: ${codes(report).join(', ')}`);
      assert.deepEqual(codes(report), found.get(`${provider} ${name}`), `${provider} ${name}: the server found otherwise`);
      assert.deepEqual(leaks(report, request, [...tls.tokens(), ...hub.tokens()]), [], `${provider} ${name}: a secret in the report`);
      assert.ok(report.trace.every((t) => t.url.startsWith('https://')), `${provider} ${name}: every request over TLS`);
    }
    // Each host was reached by name over TLS, none by an address.
    const reached = hosts.filter((h) => tls.log.some((l) => l.includes(` ${h}/`)));
    assert.ok(reached.length >= 14, `${reached.length} hosts reached: ${reached.join(', ')}`);
  } finally {
    await tls.stop();
  }
});
