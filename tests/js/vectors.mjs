// The JS twin of tests/common/mod.rs: runs a vector file through a validate function.
// Used from Node tests and from pages in real browsers (no Node APIs here).

function firstWithCode(actual, code) {
  return actual.diagnostics.find((d) => d.code === code);
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Checks what holds for every diagnostic: spans inside the input, a one-line message. */
export function checkDiagnostics(input, diagnostics) {
  for (const d of diagnostics) {
    if (!(d.start <= d.end && d.end <= input.length)) throw new Error(`span ${d.start}..${d.end} outside 0..${input.length}`);
    if (!d.message || d.message.includes('\n') || !d.message.endsWith('.')) throw new Error(`not one sentence: ${d.message}`);
  }
}

/** Compares a UrlCheck with one case of tests/vectors/registry-url.json; throws on mismatch. */
export function compareUrl(c, actual) {
  checkDiagnostics(c.input, actual.diagnostics);
  if (actual.ok !== c.ok) throw new Error(`ok is ${actual.ok}, expected ${c.ok}: ${JSON.stringify(actual)}`);
  if (c.endpoint === null && actual.endpoint !== null) throw new Error(`expected no endpoint, got ${JSON.stringify(actual.endpoint)}`);
  if (c.endpoint) {
    for (const [key, want] of Object.entries(c.endpoint)) {
      if (!same(actual.endpoint?.[key], want)) throw new Error(`endpoint.${key} is ${JSON.stringify(actual.endpoint?.[key])}, expected ${JSON.stringify(want)}`);
    }
  }
  const got = actual.diagnostics.map((d) => d.code).sort();
  const want = [...c.codes].sort();
  if (!same(got, want)) throw new Error(`codes ${got}, expected ${want}`);
  for (const [code, span] of Object.entries(c.spans ?? {})) {
    const d = firstWithCode(actual, code);
    if (!d || !same([d.start, d.end], span)) throw new Error(`${code} span ${d && [d.start, d.end]}, expected ${span}`);
  }
  for (const [code, value] of Object.entries(c.fixes ?? {})) {
    const d = firstWithCode(actual, code);
    if (!d || !same(d.fix?.value ?? null, value)) throw new Error(`${code} fix ${JSON.stringify(d?.fix)}, expected ${JSON.stringify(value)}`);
  }
  const text = JSON.stringify(actual);
  for (const secret of c.absent ?? []) if (text.includes(secret)) throw new Error(`${JSON.stringify(secret)} appears in the result`);
}

/** Runs every case through `check(case)`; honours expected_failures both ways. Returns failures. */
export function runVectors(doc, check) {
  const failures = [];
  for (const c of doc.cases) {
    let error = null;
    try { check(c); } catch (e) { error = e; }
    const expected = (doc.expected_failures ?? []).includes(c.name);
    if (error && !expected) failures.push(`${c.name}: ${error.message}`);
    if (!error && expected) failures.push(`${c.name}: passed but is listed in expected_failures`);
  }
  return failures;
}

const FORM_FIELDS = ['name', 'identifier', 'url', 'username', 'passwordRef', 'delegateSelectors', 'providerType'];

/** Compares a FormCheck with one case of tests/vectors/form.json; throws on mismatch. */
export function compareForm(c, actual) {
  if (actual.ok !== c.ok) throw new Error(`ok is ${actual.ok}, expected ${c.ok}`);
  for (const field of FORM_FIELDS) {
    const diagnostics = actual.fields[field];
    const got = diagnostics.map((d) => d.code).sort();
    const want = [...(c.codes[field] ?? [])].sort();
    if (!same(got, want)) throw new Error(`${field} codes ${got}, expected ${want}`);
    const first = (code) => diagnostics.find((d) => d.code === code);
    for (const [code, span] of Object.entries(c.spans?.[field] ?? {})) {
      if (!same([first(code)?.start, first(code)?.end], span)) throw new Error(`${field} ${code} span, expected ${span}`);
    }
    for (const [code, message] of Object.entries(c.messages?.[field] ?? {})) {
      if (first(code)?.message !== message) throw new Error(`${field} ${code} message ${first(code)?.message}`);
    }
    for (const [code, value] of Object.entries(c.fixes?.[field] ?? {})) {
      if (first(code)?.fix?.value !== value) throw new Error(`${field} ${code} fix ${JSON.stringify(first(code)?.fix)}`);
    }
  }
  for (const [code, index] of Object.entries(c.indexes ?? {})) {
    const d = actual.fields.delegateSelectors.find((x) => x.code === code);
    if (d?.index !== index) throw new Error(`${code} index ${d?.index}, expected ${index}`);
  }
  for (const key of ['identifier', 'providerType', 'connector', 'yaml']) {
    if (key in c && !same(actual[key], c[key])) throw new Error(`${key} is ${JSON.stringify(actual[key])}, expected ${JSON.stringify(c[key])}`);
  }
  if (c.endpoint === null && actual.endpoint !== null) throw new Error('expected no endpoint');
  for (const [key, want] of Object.entries(c.endpoint ?? {})) {
    if (!same(actual.endpoint?.[key], want)) throw new Error(`endpoint.${key} is ${JSON.stringify(actual.endpoint?.[key])}`);
  }
  if (actual.ok !== (actual.connector !== null)) throw new Error('a connector must be present exactly when ok');
  const text = JSON.stringify(actual);
  for (const secret of c.absent ?? []) if (text.includes(secret)) throw new Error(`${JSON.stringify(secret)} appears in the result`);
}
