// `npm run bench -- profile`: one extra B started with `node --cpu-prof`, driven on the hot path
// by autocannon, stopped with SIGTERM (bench/cpu-prof-exit.mjs makes that a normal exit so the
// profile is written), then summarised by self time. A separate B: profiling slows a process,
// so the measured B of the other modes never runs under the profiler.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { closedLoop } from '../closed-loop.mjs';
import { BENCH_DIR, stopTracked } from '../processes.mjs';
import { summariseProfile } from '../profile-summary.mjs';
import { startService } from '../stack.mjs';
import { hotHeaderSets } from './targets.mjs';

export async function profileHotPath(
  stack,
  fixtures,
  { seconds = 15, warmSeconds = 5, connections = 50, variant = {} },
  log,
) {
  const dir = join(BENCH_DIR, 'results', 'profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const nodeArgs = [
    ...(variant.nodeArgs ?? []),
    '--cpu-prof',
    '--cpu-prof-dir',
    dir,
    '--import',
    join(BENCH_DIR, 'cpu-prof-exit.mjs'),
  ];
  const server = await startService(stack, { name: 'B-profiled', nodeArgs, env: variant.env });
  const url = `${server.url}/v1/groups`;
  const headerSets = hotHeaderSets(fixtures);
  log(`profile: warming (${warmSeconds} s), then ${seconds} s of hot-path load on a profiled B`);
  await closedLoop({ url, headerSets, connections, seconds: warmSeconds, server: server.pid });
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const load = await closedLoop({ url, headerSets, connections, seconds, server: server.pid });
  const toUs = Number(process.hrtime.bigint() / 1000n);
  const exit = await stopTracked(server.proc, 'SIGTERM', 15_000);
  // The largest, should a worker thread have written one of its own.
  const file = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => ({ name, size: statSync(join(dir, name)).size }))
    .sort((a, b) => b.size - a.size)[0]?.name;
  if (!file) throw new Error(`no .cpuprofile written (exit ${JSON.stringify(exit)})\n${server.proc.stderr()}`);
  let summary = summariseProfile(join(dir, file), 15, { fromUs, toUs });
  let window = 'measured load only';
  if (summary.busyMs === 0) {
    // The profile's clock did not line up with ours: fall back to the whole profile.
    summary = summariseProfile(join(dir, file), 15);
    window = 'whole process life (start-up and warm-up included)';
  }
  return { file: join(dir, file), rpsUnderProfiler: load.rps, window, summary };
}
