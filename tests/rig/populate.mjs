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

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** PUTs `manifest` (an object) to `name` by `reference` (a tag, or its digest when omitted). */
async function putManifest(base, name, manifest, reference) {
  const body = Buffer.from(JSON.stringify(manifest));
  await ok(await fetch(`${base}/v2/${name}/manifests/${reference ?? sha(body)}`, {
    method: 'PUT', body, headers: { 'Content-Type': manifest.mediaType },
  }), `put manifest ${name}:${reference ?? 'digest'}`);
  return { mediaType: manifest.mediaType, digest: sha(body), size: body.length };
}

/**
 * Multi-platform `latest` tags: on `index`, an OCI image index holding the linux/amd64 image and
 * an attestation manifest, as `docker buildx build --push` pushes by default; on `list`, a Docker
 * manifest list. Children first, by digest, then the index by tag (../shared/RECIPES.md,
 * 2026-12-06). Both repositories already hold the blobs (pushRepository).
 */
async function pushMultiPlatform(base, name, list) {
  const layer = Buffer.from('registry-probe sample layer\n');
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha(layer)] } }));
  const statement = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://spdx.dev/Document', predicate: {} }));
  const empty = Buffer.from('{}');
  for (const blob of [layer, config, statement, empty]) await pushBlob(base, name, blob);
  const platform = await putManifest(base, name, {
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: config.length, digest: sha(config) },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: layer.length, digest: sha(layer) }],
  });
  const attestation = await putManifest(base, name, {
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: empty.length, digest: sha(empty) },
    layers: [{ mediaType: 'application/vnd.in-toto+json', size: statement.length, digest: sha(statement), annotations: { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' } }],
  });
  await putManifest(base, name, {
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { ...platform, platform: { architecture: 'amd64', os: 'linux' } },
      { ...attestation, platform: { architecture: 'unknown', os: 'unknown' },
        annotations: { 'vnd.docker.reference.digest': platform.digest, 'vnd.docker.reference.type': 'attestation-manifest' } },
    ],
  }, 'latest');
  const docker = image(false);
  const single = await putManifest(base, list, JSON.parse(docker.manifest));
  await putManifest(base, list, {
    schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifests: [{ ...single, platform: { architecture: 'amd64', os: 'linux' } }],
  }, 'latest');
}

/** Whose `latest` is multi-platform: an OCI index as buildx pushes it, and a Docker manifest list. */
export const MULTI_PLATFORM = { index: 'team/tools/builder', list: 'team/app/web' };

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
  await pushMultiPlatform(base, MULTI_PLATFORM.index, MULTI_PLATFORM.list);
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
