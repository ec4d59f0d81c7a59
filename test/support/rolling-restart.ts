import { performance } from 'node:perf_hooks';
import { ServiceProcess, spawnService } from './service-process.js';
import { LoadResult, SteadyLoad } from './steady-load.js';

export interface RestartFigures {
  replica: number;
  /** Requests the load sent from the SIGTERM until the replica was back in rotation. */
  requests: number;
  failures: LoadResult[];
  /** From SIGTERM to the process's exit. */
  drainMs: number;
}

/**
 * Restarts each replica in turn, as a deployment does: SIGTERM, wait for the exit (code 0), start
 * it again on the same port, wait until it is ready and `backInRotation` says the gateway uses it.
 */
export async function restartOneAfterAnother(
  replicas: ServiceProcess[],
  envOf: (index: number) => Record<string, string>,
  load: SteadyLoad,
  backInRotation: (index: number) => Promise<void>,
): Promise<RestartFigures[]> {
  const figures: RestartFigures[] = [];
  for (const index of replicas.keys()) {
    const from = load.results.length;
    const signalled = performance.now();
    replicas[index].child.kill('SIGTERM');
    const code = await replicas[index].exited;
    if (code !== 0) throw new Error(`replica ${index + 1} exited with ${code}:\n${replicas[index].output()}`);
    const drainMs = Math.round(performance.now() - signalled);
    replicas[index] = await spawnService(envOf(index));
    await backInRotation(index);
    const window = load.results.slice(from);
    figures.push({
      replica: index + 1,
      requests: window.length,
      failures: window.filter((result) => !result.ok),
      drainMs,
    });
  }
  return figures;
}

/** One line per restart, for the test's output: `replica 1: 3628 requests, 0 failed, drained 4059 ms`. */
export function describeRestarts(figures: RestartFigures[]): string {
  return figures
    .map(
      ({ replica, requests, failures, drainMs }) =>
        `replica ${replica}: ${requests} requests, ${failures.length} failed, drained ${drainMs} ms`,
    )
    .join('; ');
}
