// Makes a fresh clone runnable: installs dependencies when they are missing and, with --build,
// compiles when the sources changed since the last build. `npm start`, `npm run sandbox` and
// `npm test` run it first (`npm test` then always builds, whatever this decided).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildIsCurrent, markBuilt } from './build-stamp.mjs';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('Installing dependencies (npm ci)...');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
if (process.argv.includes('--build')) {
  if (buildIsCurrent()) {
    console.log('dist/ is up to date with src/: not rebuilding.');
  } else {
    run('npx', ['nest', 'build']);
    markBuilt();
  }
}
