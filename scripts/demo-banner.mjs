// Prints the demo URL and inputs to paste, from the rig's JSON.
import { readFileSync } from 'node:fs';

const rig = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { basic, tokenPuller } = rig.users;
console.log(`
registry-probe demo form:  ${rig.page}/

Paste one of these into "Docker Registry URL":
  open registry, no auth, CORS        ${rig.registries.open}/v2/
  htpasswd registry (nginx CORS)      ${rig.registries.basic}/v2/    user ${basic.username} / ${basic.password}
  token-auth registry                 ${rig.registries.token}/v2/    user ${tokenPuller.username} / ${tokenPuller.password} (no catalog rights)
  registry without CORS headers       ${rig.registries.noCors}/v2/
  Docker Hub as typed in the docs     index.docker.io/v1/

Stop with Ctrl-C.`);
