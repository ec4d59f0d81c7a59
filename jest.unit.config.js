// `npm run test:unit`: the unit tier alone, the *.spec.ts files: no Redis, no build, seconds.
// The *.e2e-spec.ts files need both; `npm test` runs everything.
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default { ...base, testRegex: '(?<!\\.e2e-spec)(?<!\\.e2e)\\.spec\\.ts$' };
