// Makes a fresh clone runnable: installs dependencies when they are missing and, with --build,
// compiles when the sources changed since the last build. `npm start`, `npm run sandbox` and
// `npm test` run it first (`npm test` then always builds, whatever this decided).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Written after a build; a build deletes dist/ first, so a failed build leaves none.
const STAMP = 'dist/.build-stamp';
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The newest change under the inputs. Folders count too: deleting or renaming a file changes
// its folder's mtime, so a removed source also triggers a build.
function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

function buildIsCurrent() {
  if (!existsSync(STAMP) || !existsSync('dist/main.js')) return false;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.every((input) => !existsSync(input) || newestChange(input) <= built);
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
    writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  }
}
