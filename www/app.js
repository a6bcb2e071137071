// The form shell: reads the fields, calls the package, renders. No regex, no URL building and no
// request sequencing here: validation, normalization and the probe are the package's.
// Registry data (repository and tag names) is only ever set as text, never as HTML.
import init, { probeRegistry, validateForm } from '/pkg/index.js';

await init();

const $ = (id) => document.getElementById(id);
const FIELDS = ['name', 'identifier', 'url', 'username', 'passwordRef', 'delegateSelectors', 'providerType'];
const INPUT_OF = { name: 'name', identifier: 'identifier', url: 'url', username: 'username', passwordRef: 'passwordRef', providerType: 'providerType', delegateSelectors: 'selector-input' };
const PAGE_SIZE = 25;
const TAGS_SHOWN = 60;
const PING_DELAY_MS = 400;
const state = {
  selectors: [], identifierEdited: false, check: null,
  ping: { controller: null, generation: 0, timer: 0 },
  test: { controller: null, generation: 0 },
  catalog: [], catalogPage: 0,
};
/** Time of each validate+render, for the benchmark (the last 200). */
window.registryProbeTimings = [];

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

function readForm() {
  const userpass = $('auth-userpass').checked;
  return {
    name: $('name').value,
    identifier: state.identifierEdited ? $('identifier').value : undefined,
    url: $('url').value,
    providerType: $('providerType').value || undefined,
    auth: userpass ? { type: 'UsernamePassword', username: $('username').value, passwordRef: $('passwordRef').value } : { type: 'Anonymous' },
    delegateSelectors: state.selectors,
  };
}

function applyFix(field, value) {
  if (field === 'identifier') state.identifierEdited = true;
  $(INPUT_OF[field]).value = value;
  update();
  if (field === 'url') schedulePing();
  $(INPUT_OF[field]).focus();
}

const rendered = {};

function renderMessages(field, diagnostics) {
  // Unchanged messages are left alone: replacing them under the pointer would eat a click.
  const key = JSON.stringify(diagnostics);
  if (rendered[field] === key) return;
  rendered[field] = key;
  const list = $(`${field}-messages`);
  list.replaceChildren(...diagnostics.map((d) => {
    const item = el('li', { className: d.severity }, d.message);
    if (d.fix && field !== 'delegateSelectors') {
      item.append(el('button', { type: 'button', textContent: d.fix.label, onclick: () => applyFix(field, d.fix.value) }));
    }
    return item;
  }));
  const input = $(INPUT_OF[field]);
  if (input) input.setAttribute('aria-invalid', String(diagnostics.some((d) => d.severity === 'error')));
}

/** Shows the URL with the first diagnostic's span marked (UTF-16 offsets = JS indices). */
function renderHighlight(value, diagnostics) {
  const target = $('url-highlight');
  const d = diagnostics.find((x) => x.severity === 'error') ?? diagnostics.find((x) => x.severity === 'warning');
  if (!d) {
    target.hidden = true;
    return;
  }
  const mark = el('mark', { className: d.end > d.start ? '' : 'empty', title: d.message }, value.slice(d.start, d.end));
  target.replaceChildren(value.slice(0, d.start), mark, value.slice(d.end));
  target.hidden = false;
}

function renderChips(diagnostics) {
  const invalid = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.index));
  $('chips').replaceChildren(...state.selectors.map((selector, index) => el('span',
    { className: invalid.has(index) ? 'chip invalid' : 'chip' },
    selector,
    el('button', { type: 'button', textContent: '×', ariaLabel: `Remove selector ${selector}`, onclick: () => {
      state.selectors.splice(index, 1);
      update();
      $('selector-input').focus();
    } }),
  )));
}

function update() {
  const started = performance.now();
  const check = validateForm(readForm(), { pageProtocol: location.protocol });
  state.check = check;
  for (const field of FIELDS) renderMessages(field, check.fields[field]);
  if (!state.identifierEdited) $('identifier').value = check.identifier;
  $('provider-auto').textContent = `Detect from the URL (${check.providerType})`;
  renderHighlight($('url').value, check.fields.url);
  renderChips(check.fields.delegateSelectors);
  $('yaml').textContent = check.yaml ?? 'Fix the errors above to see the connector that would be saved.';
  $('save').disabled = !check.ok;
  $('credentials').hidden = !$('auth-userpass').checked;
  window.registryProbeTimings.push(performance.now() - started);
  if (window.registryProbeTimings.length > 200) window.registryProbeTimings.shift();
}

/** A quiet ping after the URL has been valid for a moment; a newer keystroke cancels it. */
function schedulePing() {
  const ping = state.ping;
  clearTimeout(ping.timer);
  ping.controller?.abort();
  ping.controller = null;
  const generation = ++ping.generation;
  const urlOk = state.check && state.check.fields.url.every((d) => d.severity !== 'error') && state.check.endpoint;
  $('url-status').textContent = '';
  $('url-status').className = 'status';
  if (!urlOk) return;
  ping.timer = setTimeout(async () => {
    const controller = new AbortController();
    ping.controller = controller;
    $('url-status').textContent = 'Checking…';
    try {
      const report = await probeRegistry({ url: $('url').value, pingOnly: true, timeoutMs: 5000 }, { signal: controller.signal });
      if (generation !== ping.generation) return; // an older answer never overwrites a newer one
      // The package decides: the ping step is ok when the registry answered this page as a registry.
      const reachable = report.steps.find((s) => s.id === 'ping')?.status === 'ok';
      $('url-status').className = reachable ? 'status ok' : 'status fail';
      $('url-status').textContent = reachable
        ? `Reachable · API ${report.apiVersion ?? '?'} · ${{ none: 'no authentication', basic: 'Basic authentication', bearer: 'token authentication' }[report.auth] ?? 'authentication unknown'}`
        : report.findings[0]?.message ?? 'Not reachable from this page.';
    } catch (e) {
      if (e.name !== 'AbortError') throw e;
    } finally {
      if (ping.controller === controller) ping.controller = null;
    }
  }, PING_DELAY_MS);
}

function renderSteps(steps) {
  $('steps').replaceChildren(...steps.map((s) => el('li', { className: s.status },
    el('span', { className: 'state' }, s.status),
    ` ${s.id}: ${s.summary}`,
    s.durationMs === null ? '' : ` (${Math.round(s.durationMs)} ms)`)));
}

function renderCatalog() {
  const filter = $('catalog-filter').value.toLowerCase();
  const matches = state.catalog.filter((r) => r.toLowerCase().includes(filter));
  const pages = Math.max(1, Math.ceil(matches.length / PAGE_SIZE));
  state.catalogPage = Math.min(state.catalogPage, pages - 1);
  const shown = matches.slice(state.catalogPage * PAGE_SIZE, (state.catalogPage + 1) * PAGE_SIZE);
  $('catalog-list').replaceChildren(...shown.map((r) => el('li', {}, r)));
  $('catalog-page').textContent = `Page ${state.catalogPage + 1} of ${pages} (${matches.length} images)`;
  $('catalog-prev').disabled = state.catalogPage === 0;
  $('catalog-next').disabled = state.catalogPage >= pages - 1;
}

async function testConnection() {
  const test = state.test;
  test.controller?.abort();
  const controller = new AbortController();
  test.controller = controller;
  const generation = ++test.generation;
  const steps = new Map();
  $('probe').hidden = false;
  $('verdict').textContent = 'Testing…';
  $('verdict').className = 'verdict';
  $('findings').replaceChildren();
  $('catalog').hidden = true;
  $('tags').hidden = true;
  $('cancel').disabled = false;
  const userpass = $('auth-userpass').checked;
  const request = {
    url: $('url').value,
    repository: $('repository').value || undefined,
    username: userpass ? $('username').value : undefined,
    password: userpass ? $('test-password').value : undefined,
  };
  try {
    const report = await probeRegistry(request, {
      signal: controller.signal,
      onProgress: (step) => {
        if (generation !== test.generation) return;
        steps.set(step.id, step);
        renderSteps([...steps.values()]);
        $('probe-live').textContent = `${step.id}: ${step.summary}`;
      },
    });
    if (generation !== test.generation) return;
    renderSteps(report.steps);
    $('verdict').className = `verdict ${report.verdict}`;
    $('verdict').textContent = { ok: 'Everything works: the account can list images and tags and pull.', partial: 'Partly working: see below what to fix.', failed: 'The connection does not work from this browser: see below.' }[report.verdict];
    $('probe-live').textContent = $('verdict').textContent;
    $('findings').replaceChildren(...report.findings.map((f) => el('li', { className: f.severity }, f.message,
      f.fix ? el('span', { className: 'fix' }, `Fix: ${f.fix}`) : '')));
    state.catalog = report.catalog?.repositories ?? [];
    state.catalogPage = 0;
    $('catalog').hidden = !report.catalog;
    if (report.catalog) renderCatalog();
    $('tags').hidden = !report.tags;
    if (report.tags) {
      $('tags-title').textContent = `Tags of ${report.tags.repository}`;
      const { tags } = report.tags;
      const more = tags.length > TAGS_SHOWN ? [el('li', {}, `… and ${tags.length - TAGS_SHOWN} more`)] : [];
      $('tags-list').replaceChildren(...tags.slice(0, TAGS_SHOWN).map((t) => el('li', {}, t)), ...more);
    }
  } catch (e) {
    if (e.name !== 'AbortError') throw e;
    if (generation === test.generation) {
      $('verdict').textContent = 'Cancelled.';
      $('probe-live').textContent = 'Connection test cancelled.';
    }
  } finally {
    if (test.controller === controller) {
      test.controller = null;
      $('cancel').disabled = true;
    }
  }
}

function addSelector() {
  const input = $('selector-input');
  if (input.value !== '') {
    state.selectors.push(input.value);
    input.value = '';
    update();
  }
}

$('form').addEventListener('input', (event) => {
  if (event.target.id === 'identifier') state.identifierEdited = true;
  if (['selector-input', 'catalog-filter', 'repository', 'test-password'].includes(event.target.id)) return;
  update();
  if (event.target.id === 'url') schedulePing();
});
$('selector-input').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ',') {
    event.preventDefault();
    addSelector();
  } else if (event.key === 'Backspace' && event.target.value === '' && state.selectors.length) {
    state.selectors.pop();
    update();
  }
});
$('selector-input').addEventListener('blur', addSelector);
$('test').addEventListener('click', testConnection);
$('cancel').addEventListener('click', () => state.test.controller?.abort());
$('catalog-filter').addEventListener('input', () => { state.catalogPage = 0; renderCatalog(); });
$('catalog-prev').addEventListener('click', () => { state.catalogPage--; renderCatalog(); });
$('catalog-next').addEventListener('click', () => { state.catalogPage++; renderCatalog(); });
$('copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('yaml').textContent);
    $('save-status').textContent = 'YAML copied.';
  } catch {
    getSelection().selectAllChildren($('yaml'));
    $('save-status').textContent = 'Press Ctrl+C to copy the selected YAML.';
  }
});
$('form').addEventListener('submit', (event) => {
  event.preventDefault(); // nothing (above all, no password) goes into the URL or history
  if (!state.check?.ok) return;
  $('save-status').textContent = `Saved connector ${state.check.identifier} (demo: nothing leaves this page).`;
});
update();
document.body.dataset.ready = 'true';
