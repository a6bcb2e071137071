// Decodes the wire (src/wire.rs): UTF-8 made one string, read with charCodeAt and slice.
// Called by the wasm façade itself, so every export still returns plain objects.
// `names` is the name table the Rust side owns for this module instance.

const END = 9;
const NAME_BASE = 16;
let s = '';
let p = 0;
let names = [];

function uint() {
  let u = s.charCodeAt(p++);
  if (u < 0x40) return u;
  let v = u & 0x3f;
  let scale = 0x40;
  do {
    u = s.charCodeAt(p++);
    v += (u & 0x3f) * scale;
    scale *= 0x40;
  } while (u & 0x40);
  return v;
}

function text(n) {
  return s.slice(p, (p += n));
}

// Names are internalized (the form V8 keeps property keys in): comparing one with a key literal
// is then a pointer comparison, and the generic reader's stores use it as is.
function intern(key) {
  return Object.keys({ [key]: 0 })[0];
}

function name() {
  const id = uint() - NAME_BASE;
  if (id === names.length) names.push(intern(text(uint())));
  return names[id];
}

const bits = new DataView(new ArrayBuffer(8));
function float() {
  for (let i = 0; i < 8; i += 2) bits.setUint16(i, uint());
  return bits.getFloat64(0);
}

function value() {
  switch (s.charCodeAt(p++)) {
    case 0: return null;
    case 1: return false;
    case 2: return true;
    case 3: return uint();
    case 4: return -uint();
    case 5: return float();
    case 6: return text(uint());
    case 7: {
      const list = [];
      while (s.charCodeAt(p) !== END) list.push(value());
      p++;
      return list;
    }
    case 8: {
      const type = name();
      const fast = FAST[type];
      if (fast !== undefined) {
        const at = p;
        const known = names.length;
        const object = fast();
        if (object !== undefined) return object;
        // Not the layout the fast reader knows: forget what it read, read it generically.
        bad = false;
        p = at;
        names.length = known;
      }
      return fields({});
    }
    case 10: {
      const map = {};
      while (s.charCodeAt(p) !== END) {
        p++; // the key's string tag
        const key = text(uint());
        map[key] = value();
      }
      p++;
      return map;
    }
    default:
      throw new Error(`registry-probe: corrupt result at ${p - 1}`);
  }
}

function fields(object) {
  while (s.charCodeAt(p) !== END) {
    const key = name();
    object[key] = value();
  }
  p++;
  return object;
}

// Readers for the hot shapes, as object literals (V8 builds those several times faster than
// objects grown key by key). Each checks every key: by its id, against the id the key had when
// it was last met with this name table (an integer comparison), else by name. On any surprise
// `bad` is set, the reader returns undefined, and value() reads the object again generically.
let bad = false;
let slots = new Int32Array(0);
/** Each name table's key ids by slot. */
const slotsOf = new WeakMap();
function field(key, slot) {
  if (bad) return undefined;
  const id = uint() - NAME_BASE;
  if (id !== slots[slot]) {
    if (id === names.length) names.push(intern(text(uint())));
    if (names[id] !== key) {
      bad = true;
      return undefined;
    }
    slots[slot] = id;
  }
  return value();
}
const done = () => !bad && s.charCodeAt(p++) === END;

function fix() {
  const label = field('label', 0);
  const value_ = field('value', 1);
  return done() ? { label, value: value_ } : undefined;
}

function diagnostic() {
  const code = field('code', 2);
  const severity = field('severity', 3);
  const message = field('message', 4);
  const start = field('start', 5);
  const end = field('end', 6);
  const fix_ = field('fix', 7);
  if (!bad && s.charCodeAt(p) === END) {
    p++;
    return { code, severity, message, start, end, fix: fix_ };
  }
  const index = field('index', 8);
  return done() ? { code, severity, message, start, end, fix: fix_, index } : undefined;
}

function endpoint() {
  const url = field('url', 9);
  const apiVersion = field('apiVersion', 10);
  const scheme = field('scheme', 11);
  const host = field('host', 12);
  const port = field('port', 13);
  const pathPrefix = field('pathPrefix', 14);
  const provider = field('provider', 15);
  const namespace = field('namespace', 16);
  const pingUrl = field('pingUrl', 17);
  return done() ? { url, apiVersion, scheme, host, port, pathPrefix, provider, namespace, pingUrl } : undefined;
}

function urlCheck() {
  const ok = field('ok', 18);
  const endpoint_ = field('endpoint', 19);
  const diagnostics = field('diagnostics', 20);
  return done() ? { ok, endpoint: endpoint_, diagnostics } : undefined;
}

/** How many keys the fast readers know (the `slot` arguments above count up from 0). */
const SLOTS = 21;

const FAST = { __proto__: null, Fix: fix, Diagnostic: diagnostic, Endpoint: endpoint, UrlCheck: urlCheck };

const utf8 = new TextDecoder();

/** The value encoded in `bytes` (UTF-8, a Uint8Array); `table` is the caller's name table. */
export function decode(bytes, table) {
  s = utf8.decode(bytes);
  p = 0;
  names = table;
  slots = slotsOf.get(table);
  if (slots === undefined) slotsOf.set(table, (slots = new Int32Array(SLOTS).fill(-1)));
  try {
    return value();
  } finally {
    s = '';
    bad = false;
  }
}
