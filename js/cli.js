#!/usr/bin/env node
// registry-probe check <url> [--username U --password-stdin] [--repository R] [--json]
// Same engine and codes as the browser. Exit code: 0 ok, 1 partial, 2 failed (or bad usage: 64).
// The password is read from standard input (--password-stdin) or REGISTRY_PROBE_PASSWORD, never
// from the command line, where other users of the machine could read it.
import { parseArgs } from 'node:util';
import init, { probeRegistry, validateRegistryUrl } from './node.js';

const USAGE = `usage: registry-probe check <url> [--username USER [--password-stdin]] [--repository REPO]
                           [--timeout-ms MS] [--json]
The password comes from standard input (--password-stdin) or the REGISTRY_PROBE_PASSWORD variable.`;

function fail(message) {
  process.stderr.write(`registry-probe: ${message}\n${USAGE}\n`);
  process.exit(64);
}

function parse(argv) {
  if (argv.some((a) => a === '--password' || a.startsWith('--password='))) {
    fail('passwords are not taken from the command line; use --password-stdin or REGISTRY_PROBE_PASSWORD');
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean', default: false },
        'password-stdin': { type: 'boolean', default: false },
        username: { type: 'string' },
        repository: { type: 'string' },
        'timeout-ms': { type: 'string' },
      },
    });
  } catch (error) {
    fail(error.message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const [command, url, ...extra] = positionals;
  if (command !== 'check' || !url) fail('expected: check <url>');
  if (extra.length) fail(`unexpected argument ${extra[0]}`);
  let timeoutMs;
  if (values['timeout-ms'] !== undefined) {
    timeoutMs = Number(values['timeout-ms']);
    if (!/^[0-9]+$/.test(values['timeout-ms']) || !Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 4294967295) {
      fail('--timeout-ms takes a whole number of milliseconds from 1 to 4294967295');
    }
  }
  return {
    url, json: values.json, passwordStdin: values['password-stdin'],
    username: values.username, repository: values.repository, timeoutMs,
  };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const options = parse(process.argv.slice(2));
await init();
const password = options.passwordStdin ? await readStdin() : process.env.REGISTRY_PROBE_PASSWORD;
const url = validateRegistryUrl(options.url);
const canProbe = url.ok;
const report = canProbe
  ? await probeRegistry({ url: options.url, username: options.username, password, repository: options.repository, timeoutMs: options.timeoutMs })
  : null;
const exitCode = !report ? 2 : { ok: 0, partial: 1, failed: 2 }[report.verdict];

if (options.json) {
  process.stdout.write(`${JSON.stringify({ url, probe: report }, null, 2)}\n`);
} else {
  const out = [];
  if (url.endpoint) out.push(`registry  ${url.endpoint.url} (${url.endpoint.provider}, API ${url.endpoint.apiVersion})`);
  for (const d of url.diagnostics) out.push(`  ${d.severity.padEnd(7)} ${d.code}: ${d.message}${d.fix ? ` Fix: ${d.fix.value}` : ''}`);
  if (report) {
    out.push(`verdict   ${report.verdict}  (reach ${report.permissions.reach}, list images ${report.permissions.listImages}, list tags ${report.permissions.listTags}, pull ${report.permissions.pull}; ${report.requests} requests)`);
    for (const s of report.steps) out.push(`  ${s.status.padEnd(7)} ${s.id.padEnd(7)} ${s.summary}${s.durationMs === null ? '' : ` (${Math.round(s.durationMs)} ms)`}`);
    for (const f of report.findings) out.push(`  ${f.severity.padEnd(7)} ${f.code}: ${f.message}${f.fix ? `\n          fix: ${f.fix}` : ''}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
process.exitCode = exitCode;
