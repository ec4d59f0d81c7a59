// Scenario 6: from spawn() to the first 200 on /health/ready (polled every 5 ms), for a fresh B
// and a fresh F, on the server core, with nothing else running. The process is stopped after.
import { stopTracked } from '../processes.mjs';
import { median, round } from '../stats.mjs';
import { startForwarder, startReference, startService } from '../stack.mjs';
import { interleave } from './targets.mjs';

export async function startupTimes(stack, { rounds }, log) {
  const start = {
    B: (s) => startService(s, { name: 'B-startup' }),
    F: (s) => startForwarder(s, { name: 'F-startup' }),
    R: (s) => startReference(s, { name: 'R-startup' }),
  };
  const perRound = await interleave(
    rounds,
    ['R', 'F', 'B'],
    async (name) => {
      const server = await start[name](stack);
      await stopTracked(server.proc);
      return { readyMs: server.readyMs, summary: `${Math.round(server.readyMs)} ms` };
    },
    log,
  );
  const summary = Object.fromEntries(
    Object.entries(perRound).map(([name, runs]) => [
      name,
      { readyMs: median(runs.map((r) => r.readyMs)), runs: runs.map((r) => round(r.readyMs, 0)) },
    ]),
  );
  return { rounds, summary, ratioBF: summary.B.readyMs / summary.F.readyMs };
}
