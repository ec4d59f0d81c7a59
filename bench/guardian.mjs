// Started detached by the bench. Reads "+pid" / "-pid" lines; when its stdin closes (the bench
// ended, however it ended) it SIGKILLs whatever pids are still recorded, then exits.
import { createInterface } from 'node:readline';

const pids = new Set();
process.on('SIGINT', () => {}); // a Ctrl-C for the bench is not for us: we clean up after it
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const pid = Number(line.slice(1));
  if (!Number.isInteger(pid) || pid <= 1) return;
  if (line[0] === '+') pids.add(pid);
  else if (line[0] === '-') pids.delete(pid);
});
lines.on('close', () => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  process.exit(0);
});
