// The form shell: reads the fields, calls the package, renders its state. The behaviour — the
// quiet ping, Test connection, cancellation and every race between them — is the package's
// (createConnectorForm); no timers, abort controllers or URL rules here. Registry data
// (repository and tag names) is only ever set as text, never as HTML.
import init, { createConnectorForm } from '/pkg/index.js';

await init();

const $ = (id) => document.getElementById(id);
const FIELDS = ['name', 'identifier', 'url', 'username', 'passwordRef', 'delegateSelectors', 'providerType'];
const INPUT_OF = { name: 'name', identifier: 'identifier', url: 'url', username: 'username', passwordRef: 'passwordRef', providerType: 'providerType', delegateSelectors: 'selector-input' };
const PAGE_SIZE = 25;
const TAGS_SHOWN = 60;
// A page may ask for a shorter per-request timeout (tests do): `?timeoutMs=1000`.
const timeoutMs = Number(new URLSearchParams(location.search).get('timeoutMs')) || undefined;
// Checks the browser blocks (no CORS, a rejected preflight) run again on the console's server.
const session = createConnectorForm({ timeoutMs, relay: { url: '/probe' } });
const ui = { selectors: [], identifierEdited: false, catalog: [], catalogPage: 0, shownReport: null };

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
    identifier: ui.identifierEdited ? $('identifier').value : undefined,
    url: $('url').value,
    providerType: $('providerType').value || undefined,
    auth: userpass ? { type: 'UsernamePassword', username: $('username').value, passwordRef: $('passwordRef').value } : { type: 'Anonymous' },
    delegateSelectors: ui.selectors,
  };
}

function applyFix(field, value) {
  if (field === 'identifier') ui.identifierEdited = true;
  $(INPUT_OF[field]).value = value;
  update();
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
  $('chips').replaceChildren(...ui.selectors.map((selector, index) => el('span',
    { className: invalid.has(index) ? 'chip invalid' : 'chip' },
    selector,
    el('button', { type: 'button', textContent: '×', ariaLabel: `Remove selector ${selector}`, onclick: () => {
      ui.selectors.splice(index, 1);
      update();
      $('selector-input').focus();
    } }),
  )));
}

function update() {
  session.update(readForm());
}

function renderCheck(check) {
  for (const field of FIELDS) renderMessages(field, check.fields[field]);
  if (!ui.identifierEdited) $('identifier').value = check.identifier;
  $('provider-auto').textContent = `Detect from the URL (${check.providerType})`;
  renderHighlight($('url').value, check.fields.url);
  renderChips(check.fields.delegateSelectors);
  $('yaml').textContent = check.yaml ?? 'Fix the errors above to see the connector that would be saved.';
  $('save').disabled = !check.ok;
  $('credentials').hidden = !$('auth-userpass').checked;
}

/** The quiet ping's outcome, in the package's words: the ping step's summary, or the finding. */
function renderPing(ping) {
  const status = $('url-status');
  const step = ping.report?.steps.find((s) => s.id === 'ping');
  if (ping.status === 'running') {
    status.className = 'status';
    status.textContent = 'Checking…';
  } else if (ping.status === 'done') {
    const reachable = step?.status === 'ok';
    status.className = reachable ? 'status ok' : 'status fail';
    status.textContent = reachable ? step.summary : ping.report?.findings[0]?.message ?? step?.summary ?? '';
  } else {
    status.className = 'status';
    status.textContent = '';
  }
}

function renderSteps(steps) {
  $('steps').replaceChildren(...steps.map((s) => el('li', { className: s.status },
    el('span', { className: 'state' }, s.status),
    ` ${s.id}: ${s.summary}`,
    s.durationMs === null ? '' : ` (${Math.round(s.durationMs)} ms)`)));
}

function renderCatalog() {
  const filter = $('catalog-filter').value.toLowerCase();
  const matches = ui.catalog.filter((r) => r.toLowerCase().includes(filter));
  const pages = Math.max(1, Math.ceil(matches.length / PAGE_SIZE));
  ui.catalogPage = Math.min(ui.catalogPage, pages - 1);
  const shown = matches.slice(ui.catalogPage * PAGE_SIZE, (ui.catalogPage + 1) * PAGE_SIZE);
  $('catalog-list').replaceChildren(...shown.map((r) => el('li', {}, r)));
  $('catalog-page').textContent = `Page ${ui.catalogPage + 1} of ${pages} (${matches.length} images)`;
  $('catalog-prev').disabled = ui.catalogPage === 0;
  $('catalog-next').disabled = ui.catalogPage >= pages - 1;
}

function renderTest(test) {
  $('cancel').disabled = test.status !== 'running';
  if (test.status === 'idle') return;
  $('probe').hidden = false;
  renderSteps(test.steps);
  if (test.status === 'running') {
    const last = test.steps.at(-1);
    $('probe-live').textContent = last ? `${last.id}: ${last.summary}` : '';
    if (ui.shownReport !== null || $('verdict').textContent !== 'Testing…') {
      ui.shownReport = null;
      $('verdict').textContent = 'Testing…';
      $('verdict').className = 'verdict';
      $('findings').replaceChildren();
      $('catalog').hidden = true;
      $('tags').hidden = true;
    }
    return;
  }
  if (test.status === 'cancelled') {
    $('verdict').textContent = 'Cancelled.';
    $('probe-live').textContent = 'Connection test cancelled.';
    return;
  }
  const { report } = test;
  if (!report || report === ui.shownReport) return;
  ui.shownReport = report;
  $('verdict').className = `verdict ${report.verdict}`;
  $('verdict').textContent = report.summary;
  $('probe-live').textContent = report.summary;
  $('findings').replaceChildren(...report.findings.map((f) => el('li', { className: f.severity }, f.message,
    f.fix ? el('span', { className: 'fix' }, `Fix: ${f.fix}`) : '',
    f.snippet ? el('pre', { className: 'snippet', tabIndex: 0, ariaLabel: `${f.snippet.server} configuration` }, f.snippet.text) : '')));
  // The requests as curl commands (no secret: $REGISTRY_USERNAME, $REGISTRY_PASSWORD, $TOKEN).
  $('trace').hidden = report.curl.length === 0;
  $('trace-commands').textContent = report.curl.join('\n');
  ui.catalog = report.catalog?.repositories ?? [];
  ui.catalogPage = 0;
  $('catalog').hidden = !report.catalog;
  if (report.catalog) renderCatalog();
  $('tags').hidden = !report.tags;
  if (report.tags) {
    $('tags-title').textContent = `Tags of ${report.tags.repository}`;
    const { tags } = report.tags;
    const more = tags.length > TAGS_SHOWN ? [el('li', {}, `… and ${tags.length - TAGS_SHOWN} more`)] : [];
    $('tags-list').replaceChildren(...tags.slice(0, TAGS_SHOWN).map((t) => el('li', {}, t)), ...more);
  }
}

function testConnection() {
  const password = $('auth-userpass').checked ? $('test-password').value : undefined;
  // A replaced or cancelled run rejects with an AbortError; the state says what to show.
  session.test({ password, repository: $('repository').value }).catch((e) => {
    if (e.name !== 'AbortError') throw e;
  });
}

function addSelector() {
  const input = $('selector-input');
  if (input.value !== '') {
    ui.selectors.push(input.value);
    input.value = '';
    update();
  }
}

$('form').addEventListener('input', (event) => {
  if (event.target.id === 'identifier') ui.identifierEdited = true;
  if (['selector-input', 'catalog-filter', 'repository', 'test-password'].includes(event.target.id)) return;
  update();
});
$('selector-input').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ',') {
    event.preventDefault();
    addSelector();
  } else if (event.key === 'Backspace' && event.target.value === '' && ui.selectors.length) {
    ui.selectors.pop();
    update();
  }
});
$('selector-input').addEventListener('blur', addSelector);
$('test').addEventListener('click', testConnection);
$('cancel').addEventListener('click', () => session.cancel());
$('catalog-filter').addEventListener('input', () => { ui.catalogPage = 0; renderCatalog(); });
$('catalog-prev').addEventListener('click', () => { ui.catalogPage--; renderCatalog(); });
$('catalog-next').addEventListener('click', () => { ui.catalogPage++; renderCatalog(); });
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
  const { check } = session.state;
  if (!check?.ok) return;
  $('save-status').textContent = `Saved connector ${check.identifier} (demo: nothing leaves this page).`;
});
session.subscribe((state) => {
  if (state.check) renderCheck(state.check);
  renderPing(state.ping);
  renderTest(state.test);
});
update();
document.body.dataset.ready = 'true';
