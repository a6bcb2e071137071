// The baseline: a plain-JS registry URL validator built on `new URL()`, doing the checks it can
// (the same result shape, fewer rules: no spans for host errors, no image references, no IDN
// control). The benchmark compares validateRegistryUrl with this, call for call.
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'hub.docker.com']);
const diag = (code, severity, start, end) => ({ code, severity, message: code, start, end, fix: null });

export function validateRegistryUrlJs(input, options = {}) {
  const diagnostics = [];
  const text = input.trim();
  if (!text) return { ok: false, endpoint: null, diagnostics: [diag('url-empty', 'error', 0, input.length)] };
  if (/\s/.test(text)) return { ok: false, endpoint: null, diagnostics: [diag('url-whitespace', 'error', 0, input.length)] };
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url;
  try { url = new URL(hasScheme ? text : `https://${text}`); } catch {
    return { ok: false, endpoint: null, diagnostics: [diag('url-invalid', 'error', 0, input.length)] };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') diagnostics.push(diag('url-scheme-unsupported', 'error', 0, 0));
  if (url.username || url.password) diagnostics.push(diag('url-credentials', 'error', 0, 0));
  let host = url.hostname;
  const loopback = host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '[::1]';
  let scheme = url.protocol.slice(0, -1);
  if (!hasScheme) {
    scheme = loopback ? 'http' : 'https';
    diagnostics.push(diag('url-scheme-assumed', 'info', 0, 0));
  }
  if (url.search || url.hash) diagnostics.push(diag('url-query-dropped', 'warning', 0, 0));
  const segments = url.pathname.split('/').filter(Boolean);
  let at = segments.findIndex((s) => /^v[12]$/i.test(s));
  let version = 'v2';
  if (at < 0) {
    at = segments.length;
    diagnostics.push(diag('url-version-assumed', 'info', 0, 0));
  } else {
    version = segments[at].toLowerCase();
    if (segments.length > at + 1) diagnostics.push(diag('url-api-path-trimmed', 'info', 0, 0));
  }
  let prefix = segments.slice(0, at).map((s) => `/${s}`).join('');
  let provider = 'other';
  let namespace = null;
  if (DOCKER_HUB.has(host)) {
    provider = 'dockerhub';
    if (host === 'docker.io' || host === 'hub.docker.com') host = 'index.docker.io';
    if (scheme === 'http') diagnostics.push(diag('url-dockerhub-https', 'error', 0, 4));
    if (prefix) { namespace = prefix.slice(1); prefix = ''; }
  }
  if (options.pageProtocol === 'https:' && scheme === 'http' && !loopback) diagnostics.push(diag('url-mixed-content', 'warning', 0, 0));
  const defaultPort = scheme === 'https' ? '443' : '80';
  const port = url.port && url.port !== defaultPort ? Number(url.port) : null;
  const base = `${scheme}://${host}${port ? `:${port}` : ''}${prefix}`;
  const endpointUrl = `${base}/${version}/`;
  return {
    ok: !diagnostics.some((d) => d.severity === 'error'),
    endpoint: {
      url: endpointUrl, apiVersion: version, scheme, host, port, pathPrefix: prefix, provider, namespace,
      pingUrl: version === 'v2' ? endpointUrl : `${base}/v1/_ping`,
    },
    diagnostics,
  };
}
