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

function name() {
  const id = uint() - NAME_BASE;
  if (id === names.length) names.push(text(uint()));
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
// objects grown key by key). Each checks every key; on any surprise `bad` is set, the reader
// returns undefined, and value() reads the object again generically.
let bad = false;
function field(key) {
  if (bad) return undefined;
  if (name() !== key) {
    bad = true;
    return undefined;
  }
  return value();
}
const done = () => !bad && s.charCodeAt(p++) === END;

function fix() {
  const label = field('label');
  const value_ = field('value');
  return done() ? { label, value: value_ } : undefined;
}

function diagnostic() {
  const code = field('code');
  const severity = field('severity');
  const message = field('message');
  const start = field('start');
  const end = field('end');
  const fix_ = field('fix');
  if (!bad && s.charCodeAt(p) === END) {
    p++;
    return { code, severity, message, start, end, fix: fix_ };
  }
  const index = field('index');
  return done() ? { code, severity, message, start, end, fix: fix_, index } : undefined;
}

function endpoint() {
  const url = field('url');
  const apiVersion = field('apiVersion');
  const scheme = field('scheme');
  const host = field('host');
  const port = field('port');
  const pathPrefix = field('pathPrefix');
  const provider = field('provider');
  const namespace = field('namespace');
  const pingUrl = field('pingUrl');
  return done() ? { url, apiVersion, scheme, host, port, pathPrefix, provider, namespace, pingUrl } : undefined;
}

function urlCheck() {
  const ok = field('ok');
  const endpoint_ = field('endpoint');
  const diagnostics = field('diagnostics');
  return done() ? { ok, endpoint: endpoint_, diagnostics } : undefined;
}

const FAST = { __proto__: null, Fix: fix, Diagnostic: diagnostic, Endpoint: endpoint, UrlCheck: urlCheck };

const utf8 = new TextDecoder();

/** The value encoded in `bytes` (UTF-8, a Uint8Array); `table` is the caller's name table. */
export function decode(bytes, table) {
  s = utf8.decode(bytes);
  p = 0;
  names = table;
  try {
    return value();
  } finally {
    s = '';
    bad = false;
  }
}
