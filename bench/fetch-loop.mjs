// The baseline for the probe benchmark: a hand-written fetch loop making the same requests the
// probe makes against an open registry (ping, catalog pages by Link, tags, HEAD of a manifest).
const ACCEPT = 'application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json';

export async function fetchLoop(base, pageSize = 100) {
  let requests = 0;
  const get = (url, init) => { requests++; return fetch(url, init); };
  await (await get(`${base}/v2/`)).arrayBuffer();
  const repositories = [];
  let url = `${base}/v2/_catalog?n=${pageSize}`;
  while (url) {
    const response = await get(url);
    repositories.push(...(await response.json()).repositories);
    const link = response.headers.get('link');
    url = link ? new URL(link.slice(link.indexOf('<') + 1, link.indexOf('>')), base).href : null;
  }
  const repository = repositories[0];
  const { tags } = await (await get(`${base}/v2/${repository}/tags/list`)).json();
  const tag = tags.includes('latest') ? 'latest' : tags[0];
  await get(`${base}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { Accept: ACCEPT } });
  return { requests, repositories: repositories.length };
}
