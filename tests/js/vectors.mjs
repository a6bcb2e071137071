// Runs a vector file's cases against its golden results (tests/vectors/*.expected.json, written
// by `UPDATE=1 cargo test --test vectors` after the native run's hand-written checks pass): the
// same deep equality as the Rust and wasm runs, so JS keeps no comparator of its own.
// Used from Node tests and from pages in real browsers (no Node APIs here).

/** `value` with object keys sorted, so that equal values serialize equally. */
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  }
  return value;
}

/** Throws unless `actual` deeply equals the golden result of case `c`. */
export function matchesGolden(golden, c, actual) {
  if (!(c.name in golden)) throw new Error('no golden result (UPDATE=1 cargo test --test vectors writes it)');
  const got = JSON.stringify(canonical(actual));
  const want = JSON.stringify(canonical(golden[c.name]));
  if (got !== want) throw new Error(`result ${got}\n  differs from the golden ${want}`);
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
