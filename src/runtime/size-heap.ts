// Imported first by main.ts: sizes the V8 heap for the container before anything else loads.
// Heap flags only take effect at process start, so when the operator has not chosen any, the
// process replaces itself (execve: same pid, so still PID 1 and the signal target) with one
// started with the flags from heap-flags.ts. See "Memory" in the README.
import { readFileSync } from 'node:fs';
import { heapChosen, heapFlags, memoryLimit } from './heap-flags.js';

const readIfThere = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

if (typeof process.execve === 'function' && !heapChosen(process.execArgv, process.env.NODE_OPTIONS)) {
  const flags = heapFlags(memoryLimit(readIfThere));
  // Restarted, the flags are in execArgv and this is skipped: never more than one restart.
  process.execve(
    process.execPath,
    [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)],
    process.env,
  );
}
