// A TypeScript consumer compiled with `tsc --noEmit --strict` against the package's types.
import init, {
  probeRegistry, validateForm, validateRegistryUrl,
  type Diagnostic, type Endpoint, type FormCheck, type ProbeReport, type ProbeStep, type UrlCheck,
} from 'registry-probe';

await init();
await init(new URL('https://cdn.example/registry_probe_bg.wasm'));

const check: UrlCheck = validateRegistryUrl('docker.io');
const endpoint: Endpoint | null = check.endpoint;
const host: string | undefined = endpoint?.host;
const port: number | null | undefined = endpoint?.port;
const provider: 'dockerhub' | 'ghcr' | 'quay' | 'gcr' | 'artifact-registry' | 'ecr' | 'acr' | 'gitlab' | 'harbor' | 'artifactory' | 'nexus' | 'other' | undefined = endpoint?.provider;
const first: Diagnostic | undefined = validateRegistryUrl('x', { pageProtocol: 'https:' }).diagnostics[0];
const fixValue: string | undefined = first?.fix?.value;

const form: FormCheck = validateForm({
  name: 'n', url: 'localhost:5000',
  auth: { type: 'UsernamePassword', username: 'u', passwordRef: 'account.p' },
  delegateSelectors: ['a'],
}, { existingIdentifiers: ['x'], messages: { 'name-required': 'Nom requis.' } });
const urlMessages: Diagnostic[] = form.fields.url;
const dockerRegistryUrl: string | undefined = form.connector?.connector.spec.dockerRegistryUrl;
const yaml: string | null = form.yaml;

const controller = new AbortController();
const report: ProbeReport = await probeRegistry(
  { url: 'http://localhost:5000', repository: 'team/app', timeoutMs: 1000, pingOnly: false },
  { signal: controller.signal, onProgress: (step: ProbeStep) => step.status satisfies 'running' | 'ok' | 'warn' | 'fail' | 'skipped' },
);
const verdict: 'ok' | 'partial' | 'failed' = report.verdict;
const repositories: string[] = report.catalog?.repositories ?? [];
const fixes: (string | null)[] = report.findings.map((f) => f.fix);
// Diagnosis (issue 16): snippets, the rate limit, the trace and the curl commands.
const snippets: (string | undefined)[] = report.findings.map((f) => f.snippet?.text);
const pullsLeft: number | undefined = report.rateLimit?.remaining;
const traced: [string, number | null, string | undefined][] = report.trace.map((t) => [t.method, t.status, t.headers['www-authenticate']]);
const commands: string[] = report.curl;
await probeRegistry({ url: 'registry.example.com', origin: 'https://console.example' }, { origin: 'https://console.example' });

// @ts-expect-error: providerType is a closed set
validateForm({ name: 'n', url: 'u', providerType: 'Bogus' });
// @ts-expect-error: a probe needs a url
probeRegistry({ username: 'u' });

export { host, port, provider, fixValue, urlMessages, dockerRegistryUrl, yaml, verdict, repositories, fixes, snippets, pullsLeft, traced, commands };
