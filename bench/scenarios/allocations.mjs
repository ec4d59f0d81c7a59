// Scenario 11 (and part of `npm run bench -- profile`): for each target, one more separate process
// with bench/allocation-probe.mjs preloaded, driven open loop at half of its own closed-loop
// maximum while the probe counts bytes allocated by function, GC pauses and event loop delay. A
// separate process: the sampling profiler slows allocation, so no measured process carries it.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { summariseAllocations } from '../allocation-summary.mjs';
import { closedLoop } from '../closed-loop.mjs';
import { openLoop } from '../open-loop.mjs';
import { BENCH_DIR, stopTracked } from '../processes.mjs';
import { sleep } from '../stats.mjs';
import { startFloor, startReference, startService } from '../stack.mjs';
import { hotHeaderSets } from './targets.mjs';

const STARTERS = { B: startService, R: startReference, F0: startFloor };

export async function probeAllocations(
  stack,
  fixtures,
  { names = ['B'], seconds = 15, warmSeconds = 5, variant = {} },
  log,
) {
  const summary = {};
  for (const name of names)
    summary[name] = await probeOne(stack, fixtures, name, { seconds, warmSeconds, variant }, log);
  return { names, summary };
}

async function probeOne(stack, fixtures, name, { seconds, warmSeconds, variant }, log) {
  const dir = join(BENCH_DIR, 'results', 'profile');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `allocations-${name}.json`);
  rmSync(file, { force: true });
  rmSync(`${file}.open`, { force: true });
  const server = await STARTERS[name](stack, {
    name: `${name}-probed`,
    nodeArgs: [...(name === 'B' ? (variant.nodeArgs ?? []) : []), '--import', join(BENCH_DIR, 'allocation-probe.mjs')],
    env: { ...(name === 'B' ? variant.env : {}), ALLOCATION_PROBE_FILE: file },
  });
  const headerSets = hotHeaderSets(fixtures);
  const url = `${server.url}/v1/groups`;
  const warm = await closedLoop({ url, headerSets, connections: 50, seconds: warmSeconds, server: server.pid });
  const rate = Math.round(warm.rps / 2);
  log(
    `  ${name}-probed: ${Math.round(warm.rps)} req/s closed loop under the probe; ${seconds} s open loop at ${rate} req/s`,
  );
  server.proc.child.kill('SIGUSR2');
  for (let waited = 0; !existsSync(`${file}.open`); waited += 10) {
    if (waited > 10_000) throw new Error(`${name}: the allocation probe did not open its window`);
    await sleep(10);
  }
  const load = await openLoop({ origin: server.url, path: '/v1/groups', headerSets, rate, seconds });
  await stopTracked(server.proc, 'SIGTERM', 15_000);
  if (!existsSync(file)) throw new Error(`${name}: the allocation probe wrote nothing\n${server.proc.stderr()}`);
  const probe = JSON.parse(readFileSync(file, 'utf8'));
  return {
    rate,
    latencyMs: load.latencyMs,
    errors: load.errors,
    ...summariseAllocations(probe, load.ok + load.errors),
  };
}
