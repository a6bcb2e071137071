// What the benchmarks feed in: URLs as people type them, and a whole form per keystroke.
export const URL_INPUTS = [
  'https://index.docker.io/v2/', 'registry.hub.docker.com/v2', 'docker.io', 'localhost:5000',
  'https://registry.example.com:8443/v2/_catalog?n=100', 'ghcr.io/acme', 'index.docker.io/v1/',
  'https://art.example.com/artifactory/api/docker/docker-local/v2/', 'http://10.0.0.5:5000', 'https://user:pw@reg.example.com',
];

export const FORM = {
  name: 'Production Docker Hub', url: 'https://registry.hub.docker.com/v2/', providerType: 'DockerHub',
  auth: { type: 'UsernamePassword', username: 'ci-bot', passwordRef: 'account.dockerhub_pw' },
  delegateSelectors: ['builder', 'eu-west'],
};
