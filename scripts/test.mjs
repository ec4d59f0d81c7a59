// `npm test`: the one command that sets up and runs everything on a fresh machine. It installs
// the system programs the suite starts (scripts/system-packages.mjs), checks formatting
// (Prettier; .prettierignore says which files it covers), type-checks, lints (ESLint, no
// warnings allowed), checks the layering (dependency-cruiser, .dependency-cruiser.cjs), builds, runs the whole jest suite against a real Redis, and ends with one
// summary line.
// Redis: TEST_REDIS_URL when given, else a private redis-server (from PATH) on a free port.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markBuilt } from './build-stamp.mjs';
import { startPrivateRedis } from './private-redis.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

function setupFailed(message) {
  console.error(message);
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}

// npm puts node_modules/.bin first on PATH, where the pinned Node 24 (the image's runtime,
// optionalDependencies) lives; a bare `node scripts/test.mjs` on an older Node lands here.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24)
  setupFailed(
    `Node ${process.version} is too old: run \`npm test\` (it uses the pinned Node 24 from node_modules/.bin) or install Node 24.`,
  );

try {
  ensureSystemPackages();
} catch (error) {
  setupFailed(error.message);
}

// Formatting and type errors first (ts-jest in ESM mode reports none), then lint and the layering;
// then the build the process tests start.
for (const [command, args] of [
  ['npx', ['prettier', '--check', '--log-level=warn', '.']],
  ['npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['npx', ['eslint', '.', '--max-warnings=0']],
  ['npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs']],
  ['npx', ['nest', 'build']],
]) {
  if (spawnSync(command, args, { stdio: 'inherit' }).status !== 0) setupFailed(`${command} ${args.join(' ')} failed`);
}
// The build is current: a following `npm start` need not build again (scripts/prepare.mjs).
markBuilt();

const redis = process.env.TEST_REDIS_URL ? undefined : await startPrivateRedis();
const redisUrl = process.env.TEST_REDIS_URL ?? redis.url;

const resultsDir = mkdtempSync(join(tmpdir(), 'groups-bff-tests-'));
const resultsFile = join(resultsDir, 'results.json');
const jest = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    'node_modules/jest/bin/jest.js',
    '--json',
    `--outputFile=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { ...process.env, TEST_REDIS_URL: redisUrl } },
);
await redis?.stop();

let passed = 0;
let failed = 1;
try {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = results.numPassedTests;
  // A suite that fails to load has no failed tests of its own; count it as one.
  failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
} catch {
  console.error('jest wrote no results');
}
rmSync(resultsDir, { recursive: true, force: true });
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(jest.status === 0 && failed === 0 ? 0 : 1);
