// Whether dist/ is the build of the sources as they are now, for everything that builds on
// demand (`npm start`, `npm test`, `npm run bench`): a stamp written after each build, compared
// with the newest change under the build's inputs.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Written after a build; a build deletes dist/ first, so a failed build leaves none.
const STAMP = join('dist', '.build-stamp');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];

// The newest change under `path`. Folders count too: deleting or renaming a file changes its
// folder's mtime, so a removed source also calls for a build.
function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** True when `root`'s dist/ was built after the last change to any of the build's inputs. */
export function buildIsCurrent(root = '.') {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp) || !existsSync(join(root, 'dist', 'main.js'))) return false;
  const built = statSync(stamp).mtimeMs;
  return INPUTS.map((input) => join(root, input)).every((input) => !existsSync(input) || newestChange(input) <= built);
}

/** Records that `root`'s dist/ is the build of its sources as they are now. */
export function markBuilt(root = '.') {
  writeFileSync(join(root, STAMP), `${new Date().toISOString()}\n`);
}
