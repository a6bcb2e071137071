// Sample content pushed over the registry HTTP API (no Docker engine needed).
import { createHash } from 'node:crypto';

const sha = (buf) => `sha256:${createHash('sha256').update(buf).digest('hex')}`;

/** Repositories and their tags. Nested names, one repo with 130 tags, 120 fillers (catalog pages). */
export function sampleRepositories() {
  const repos = {
    'library/alpine': ['latest', '3.19', '3.20'],
    'team/app/api': ['latest', '1.0.0', '1.1.0'],
    'team/app/web': ['latest'],
    'team/app/oci': ['latest'],
    'team/tools/builder': ['latest'],
    'public/hello': ['latest', 'v1'],
    'private/secret-app': ['latest'],
    'bigtags/many': Array.from({ length: 130 }, (_, i) => `v${i}`),
  };
  for (let i = 0; i < 120; i++) repos[`filler/repo-${String(i).padStart(3, '0')}`] = ['latest'];
  return repos;
}

function image(oci) {
  const layer = Buffer.from('registry-probe sample layer\n');
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha(layer)] },
  }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: oci ? 'application/vnd.oci.image.manifest.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json',
      size: config.length, digest: sha(config),
    },
    layers: [{
      mediaType: oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      size: layer.length, digest: sha(layer),
    }],
  }));
  return { blobs: [layer, config], manifest, mediaType: JSON.parse(manifest).mediaType };
}

async function ok(response, what) {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response;
}

async function pushBlob(base, name, blob, mountFrom) {
  const digest = sha(blob);
  if (mountFrom) {
    const r = await fetch(`${base}/v2/${name}/blobs/uploads/?mount=${digest}&from=${mountFrom}`, { method: 'POST' });
    if (r.status === 201) return;
  }
  const start = await ok(await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' }), `upload ${name}`);
  const location = new URL(start.headers.get('location'), base);
  location.searchParams.set('digest', digest);
  await ok(await fetch(location, {
    method: 'PUT', body: blob, headers: { 'Content-Type': 'application/octet-stream' },
  }), `put blob ${name}`);
}

async function pushRepository(base, name, tags, mountFrom) {
  const { blobs, manifest, mediaType } = image(name.endsWith('/oci'));
  for (const blob of blobs) await pushBlob(base, name, blob, mountFrom);
  for (const tag of tags) {
    await ok(await fetch(`${base}/v2/${name}/manifests/${tag}`, {
      method: 'PUT', body: manifest, headers: { 'Content-Type': mediaType },
    }), `put manifest ${name}:${tag}`);
  }
}

/** Pushes every sample repository to the (auth-free) registry at `base`. */
export async function populate(base) {
  const entries = Object.entries(sampleRepositories());
  const [first, ...rest] = entries;
  await pushRepository(base, first[0], first[1]);
  let next = 0;
  const worker = async () => {
    while (next < rest.length) {
      const [name, tags] = rest[next++];
      await pushRepository(base, name, tags, name.endsWith('/oci') ? undefined : first[0]);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return entries.length;
}

/** Pushes `count` one-tag repositories (`bench/repo-00000`…) by mounting one image's blobs. */
export async function populateMany(base, count, concurrency = 16) {
  const first = 'bench/repo-00000';
  await pushRepository(base, first, ['latest']);
  let next = 1;
  const worker = async () => {
    while (next < count) {
      const name = `bench/repo-${String(next++).padStart(5, '0')}`;
      await pushRepository(base, name, ['latest'], first);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
