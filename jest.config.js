import vm from 'node:vm';

// Before Node 24.9 jest's module system cannot require() an ESM-only package from a CommonJS
// one (@fastify/static -> content-disposition, light-my-request -> cookie). There, ts-jest
// compiles those few node_modules files to CommonJS; newer Node loads them natively.
const jestLoadsEsmFromCjs = typeof vm.SourceTextModule?.prototype.hasAsyncGraph === 'function';
const esmOnlyDeps = ['content-disposition', 'cookie', 'file-type', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer'];

const tsJest = [
  'ts-jest',
  {
    useESM: true,
    tsconfig: 'tsconfig.json',
    diagnostics: { ignoreCodes: [151002] },
    astTransformers: { before: ['./test/swagger-plugin.transformer.cjs'] },
  },
];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': tsJest,
    ...(jestLoadsEsmFromCjs
      ? {}
      : { '/node_modules/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', esModuleInterop: true }, diagnostics: false }] }),
  },
  transformIgnorePatterns: jestLoadsEsmFromCjs ? ['/node_modules/'] : [`/node_modules/(?!(${esmOnlyDeps.join('|')})/)`],
  testTimeout: 20000,
};
