// Makes a fresh clone runnable: installs dependencies when they are missing and, with --build,
// compiles. `npm start`, `npm run sandbox` and `npm test` run it first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('Installing dependencies (npm ci)...');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
if (process.argv.includes('--build')) run('npx', ['nest', 'build']);
