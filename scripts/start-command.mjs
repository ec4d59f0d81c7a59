// The service's start command is package.json's scripts.start, which the image's CMD repeats
// (a test keeps them equal): the process tests and the bench start the service with its arguments.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The arguments `node` gets from `npm start` (heap flags, then dist/main.js). */
export function startArguments(root = process.cwd()) {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;
  const [command, ...args] = start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`scripts.start must run node directly, not ${command}`);
  return args;
}
