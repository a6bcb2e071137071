import init, * as api from 'registry-probe';
import { URL_INPUTS } from './cases.mjs';
import { compare } from './measure.mjs';
await init();
console.log(compare({ full: (s) => api.validateRegistryUrl(s), core: (s) => api.__benchCore(s) }, URL_INPUTS));
