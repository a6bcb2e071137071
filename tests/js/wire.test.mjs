// The wire decoder (js/wire.js) on streams written by hand: the cases no Rust result produces
// today (fast readers meeting another layout, big numbers, maps), so a change on either side
// that breaks them is caught. Every real result is checked against serde in tests/common.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from '../../js/wire.js';

// A tiny encoder, written from the format table in src/wire.rs.
const T = { null: 0, false: 1, true: 2, num: 3, neg: 4, float: 5, str: 6, seq: 7, obj: 8, end: 9, map: 10 };
function uint(v) {
  let out = '';
  while (v >= 0x40) {
    out += String.fromCharCode(0x40 | (v % 0x40));
    v = Math.floor(v / 0x40);
  }
  return out + String.fromCharCode(v);
}
const tag = (t) => String.fromCharCode(t);
const str = (s) => tag(T.str) + uint(s.length) + s;
function float(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return tag(T.float) + [0, 2, 4, 6].map((i) => uint(view.getUint16(i))).join('');
}
/** An encoder with its own name table, as the Rust side keeps one. */
function names() {
  const known = [];
  return (name) => {
    const at = known.indexOf(name);
    if (at >= 0) return uint(at + 16);
    known.push(name);
    return uint(known.length - 1 + 16) + uint(name.length) + name;
  };
}
const bytes = (s) => new TextEncoder().encode(s);

test('numbers: varint boundaries, negatives, floats', () => {
  const table = [];
  for (const n of [0, 63, 64, 4095, 4096, 262143, 262144, 2 ** 32 - 1]) {
    assert.equal(decode(bytes(tag(T.num) + uint(n)), table), n);
  }
  assert.equal(decode(bytes(tag(T.neg) + uint(5)), table), -5);
  for (const x of [0.1, -2.5e300, 1e-9, 12.625, Number.MAX_SAFE_INTEGER + 2]) {
    assert.equal(decode(bytes(float(x)), table), x);
  }
});

test('strings count UTF-16 units; sequences, maps and null nest', () => {
  const table = [];
  const text = 'a😀é\u2028"';
  const wire = tag(T.seq) + str(text) + tag(T.null) + tag(T.true)
    + tag(T.map) + str('x-y') + tag(T.seq) + tag(T.end) + tag(T.end) + tag(T.end);
  assert.deepEqual(decode(bytes(wire), table), [text, null, true, { 'x-y': [] }]);
});

test('a known type name with another layout is read generically, and the name table stays in step', () => {
  const table = [];
  const name = names();
  // "Diagnostic" with an extra first key: the fast reader must give up and rewind.
  const odd = tag(T.obj) + name('Diagnostic') + name('other') + tag(T.num) + uint(1)
    + name('code') + str('c') + tag(T.end);
  assert.deepEqual(decode(bytes(odd), table), { other: 1, code: 'c' });
  assert.deepEqual(table, ['Diagnostic', 'other', 'code']);
  // The next stream refers to names defined above and defines new ones after them (built in
  // stream order: a name is defined where it first appears).
  let next = tag(T.obj) + name('Diagnostic') + name('code') + str('url-empty') + name('severity') + str('error');
  next += name('message') + str('m.') + name('start') + tag(T.num) + uint(0) + name('end') + tag(T.num) + uint(70);
  next += name('fix') + tag(T.obj) + name('Fix') + name('label') + str('Use it') + name('value') + str('v') + tag(T.end);
  next += name('index') + tag(T.num) + uint(2) + tag(T.end);
  assert.deepEqual(decode(bytes(next), table), {
    code: 'url-empty', severity: 'error', message: 'm.', start: 0, end: 70, fix: { label: 'Use it', value: 'v' }, index: 2,
  });
  // A fast reader that fails deep inside (a Fix missing `value`) still decodes.
  const short = tag(T.obj) + name('Fix') + name('label') + str('x') + tag(T.end);
  assert.deepEqual(decode(bytes(short), table), { label: 'x' });
});

test('a corrupt stream throws a clear error instead of returning garbage', () => {
  assert.throws(() => decode(bytes(tag(42)), []), /corrupt result/);
});

test('keys checked by id after the first read; an optional key first met later is still defined', () => {
  const table = [];
  const name = names();
  const diagnostic = (withIndex) => {
    let wire = tag(T.obj) + name('Diagnostic') + name('code') + str('c') + name('severity') + str('info');
    wire += name('message') + str('m.') + name('start') + tag(T.num) + uint(1) + name('end') + tag(T.num) + uint(2);
    wire += name('fix') + tag(T.null);
    if (withIndex) wire += name('index') + tag(T.num) + uint(3);
    return wire + tag(T.end);
  };
  const plain = { code: 'c', severity: 'info', message: 'm.', start: 1, end: 2, fix: null };
  assert.deepEqual(decode(bytes(diagnostic(false)), table), plain);
  // `index` is defined inside this stream, after the other keys are known by id.
  assert.deepEqual(decode(bytes(diagnostic(true)), table), { ...plain, index: 3 });
  assert.deepEqual(decode(bytes(tag(T.seq) + diagnostic(true) + diagnostic(false) + tag(T.end)), table),
    [{ ...plain, index: 3 }, plain]);
  assert.equal(table.at(-1), 'index');
});
