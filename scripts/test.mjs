// `npm test`: type-check, build, then the whole jest suite against a real Redis, then one summary line.
// Redis: TEST_REDIS_URL when given, else a private redis-server (from PATH) on a free port.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisServerAvailable, startPrivateRedis } from './private-redis.mjs';

const HOW_TO_GET_REDIS = 'Redis is needed: install redis-server (Debian: apt-get install redis-server) or set TEST_REDIS_URL=redis://host:port';

// Type errors first (ts-jest in ESM mode reports none); then the build the process tests start.
for (const [command, args] of [
  ['npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['npx', ['nest', 'build']],
]) {
  if (spawnSync(command, args, { stdio: 'inherit' }).status !== 0) {
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  }
}

let redis;
if (!process.env.TEST_REDIS_URL) {
  if (!redisServerAvailable()) {
    console.error(HOW_TO_GET_REDIS);
    process.exit(1);
  }
  redis = await startPrivateRedis();
}
const redisUrl = process.env.TEST_REDIS_URL ?? redis.url;

const resultsDir = mkdtempSync(join(tmpdir(), 'groups-bff-tests-'));
const resultsFile = join(resultsDir, 'results.json');
const jest = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', 'node_modules/jest/bin/jest.js', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
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
