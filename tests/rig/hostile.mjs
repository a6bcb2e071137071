// A deliberately hostile registry (in addition to the real ones), for answers no real registry
// gives: markup in repository and tag names. Loopback only; CORS open so pages can read it.
import http from 'node:http';

export const MARKUP_REPOSITORY = '<img src=x onerror="document.body.dataset.pwned=1">';
export const MARKUP_TAG = '<script>document.body.dataset.pwned=2</script>';

export function startHostile(port) {
  const server = http.createServer((req, res) => {
    const headers = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Authorization, Accept',
      'Access-Control-Expose-Headers': 'Docker-Distribution-Api-Version, Link, WWW-Authenticate',
      'Docker-Distribution-Api-Version': 'registry/2.0',
      'Content-Type': 'application/json',
    };
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'OPTIONS') return res.writeHead(204, headers).end();
    if (path === '/v2/') return res.writeHead(200, headers).end('{}');
    if (path === '/v2/_catalog') {
      return res.writeHead(200, headers).end(JSON.stringify({ repositories: [MARKUP_REPOSITORY, 'team/<b>bold</b>', 'plain/ok'] }));
    }
    if (path.endsWith('/tags/list')) return res.writeHead(200, headers).end(JSON.stringify({ tags: [MARKUP_TAG, 'latest'] }));
    if (path.includes('/manifests/')) return res.writeHead(200, headers).end();
    res.writeHead(404, headers).end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
  });
  return new Promise((r) => server.listen(port, '127.0.0.1', () => r(server)));
}
