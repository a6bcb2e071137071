// Turns wasm-pack's pkg/ into the published package: entry points, exports map, metadata.
// Generated files are never edited; this script only adds files and rewrites package.json.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const pkg = new URL('pkg/', root);
for (const file of ['index.js', 'node.js', 'session.js', 'relay.js', 'certificate.js', 'server.js', 'policy.js', 'policy-fetch.js', 'admission.js', 'proxy.js', 'dispatch-fetch.js', 'cli.js', 'index.d.ts', 'server.d.ts']) {
  copyFileSync(new URL(`js/${file}`, root), new URL(file, pkg));
}
for (const file of ['README.md', 'LICENSE-MIT', 'LICENSE-APACHE']) {
  copyFileSync(new URL(file, root), new URL(file, pkg));
}
// Version, description, license and repository come from Cargo.toml, the one place they are written.
const cargo = readFileSync(new URL('Cargo.toml', root), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "(.*)"$`, 'm'))?.[1];
const generated = {
  version: field('version'), description: field('description'), license: field('license'), repository: field('repository'),
};
const manifest = {
  name: 'registry-probe',
  version: generated.version,
  description: generated.description,
  license: generated.license,
  repository: { type: 'git', url: `git+${generated.repository}.git` },
  homepage: `${generated.repository}#readme`,
  bugs: { url: `${generated.repository}/issues` },
  type: 'module',
  main: './index.js',
  types: './index.d.ts',
  exports: {
    '.': {
      types: './index.d.ts',
      node: './node.js',
      default: './index.js',
    },
    './server': { types: './server.d.ts', node: './server.js' },
    './registry_probe_bg.wasm': './registry_probe_bg.wasm',
    './package.json': './package.json',
  },
  bin: { 'registry-probe': './cli.js' },
  files: [
    'index.js', 'index.d.ts', 'node.js', 'session.js', 'relay.js', 'certificate.js', 'server.js', 'server.d.ts', 'policy.js', 'policy-fetch.js', 'admission.js', 'proxy.js', 'dispatch-fetch.js', 'cli.js', 'registry_probe.js', 'registry_probe.d.ts',
    'registry_probe_bg.wasm', 'registry_probe_bg.wasm.d.ts', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE',
  ],
  sideEffects: false,
  engines: { node: '>=20' },
  // The server entry's connection policy (Node only; browsers never load these).
  dependencies: { undici: '^6.24.0', 'ipaddr.js': '^2.5.0' },
};
writeFileSync(new URL('package.json', pkg), JSON.stringify(manifest, null, 2) + '\n');
