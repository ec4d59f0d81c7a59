// One jest project per kind of test, so `npm run test:<kind>` runs one kind and `npm test` all:
//   unit     src/**/*.spec.ts: one class or function, only our own ports faked; no Redis, no build
//   api      the production app setup in-process, over HTTP, against a real Redis and the sandbox
//   process  the built service as real processes: signals, SIGKILL, a stopped Redis, exporters
//   ops      what operators run beside it: the image, compose, Kubernetes, Grafana, the docs pages
//   gateway  real HAProxy and nginx in front of replicas restarted under load
//   frontend what a front end gets: the typed and generic clients, the OpenAPI document linted
//   browser  headless Chromium: CORS from a page, Swagger UI
const tsJest = [
  'ts-jest',
  {
    useESM: true,
    tsconfig: 'tsconfig.json',
    diagnostics: { ignoreCodes: [151002] },
    astTransformers: { before: ['./test/swagger-plugin.transformer.cjs'] },
  },
];

const common = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
};

const KINDS = ['api', 'process', 'ops', 'gateway', 'frontend', 'browser'];

/** @type {import('jest').Config} */
export default {
  testTimeout: 20000,
  // ts-jest keeps a TypeScript program per project in each worker: a worker that has grown past
  // this after a test file is replaced, rather than run out of heap later in the suite.
  workerIdleMemoryLimit: '1.5GB',
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/src'], testRegex: '\\.spec\\.ts$' },
    ...KINDS.map((kind) => ({
      ...common,
      displayName: kind,
      roots: [`<rootDir>/test/${kind}`],
      testRegex: '\\.(spec|e2e-spec)\\.ts$',
    })),
  ],
};
