// `npm run bench -- instructions`: instructions per hot-path request, counted by valgrind's
// callgrind in every thread of B (JIT, GC and compiler threads included). A count does not
// depend on what else the machine runs, so two builds or settings can be compared to a per cent
// on a busy machine, where requests/s cannot. Each variant is a fresh B under callgrind with
// instrumentation off; it is warmed, then counted over the measured requests only.
// One user per request in rotation, far fewer in flight than users: each request makes its own
// upstream call (no read is coalesced).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/private-redis.mjs';
import { startArguments } from '../../scripts/start-command.mjs';
import { waitReady } from '../http.mjs';
import { startOtlpSink } from '../otlp-sink.mjs';
import { RUNTIME, spawnTracked, stopTracked } from '../processes.mjs';
import { serviceEnv } from '../stack.mjs';
import { tracingVariants } from '../tracing-variants.mjs';

// Under callgrind's instrumentation a request is ~100 times slower: one at a time keeps each
// well inside the store's command timeout.
const IN_FLIGHT = { warm: 4, measured: 1 };

export async function countInstructions(
  stack,
  fixtures,
  { warm = 3000, measured = 2000, names, variants: chosen } = {},
  log,
) {
  const sink = await startOtlpSink();
  const variants = chosen ?? tracingVariants(sink.url);
  const results = {};
  try {
    for (const name of names ?? Object.keys(variants)) {
      const variant = variants[name];
      log(`instructions: ${name}: starting B under callgrind (slow: a minute or two)`);
      const server = await startCounted(stack, variant);
      try {
        // Under callgrind the first requests are slow enough to meet the store's command timeout
        // (a 503 until its PING answers): warming forgives them, the measured requests must not fail.
        const failed = await drive(server.url, fixtures, warm, { inFlight: IN_FLIGHT.warm, forgive: true });
        if (failed > 0) log(`instructions: ${name}: ${failed} of ${warm} warm-up requests failed (forgiven)`);
        callgrindControl(server.pid, '--zero');
        callgrindControl(server.pid, '--instr=on');
        await drive(server.url, fixtures, measured, { inFlight: IN_FLIGHT.measured });
        callgrindControl(server.pid, '--instr=off');
        callgrindControl(server.pid, '--dump');
      } finally {
        await stopTracked(server.proc, 'SIGTERM', 60_000);
      }
      const instructions = dumpedInstructions(server.outFile);
      results[name] = { instructions, perRequest: Math.round(instructions / measured) };
      log(`instructions: ${name}: ${results[name].perRequest.toLocaleString('en')} per request`);
    }
  } finally {
    await sink.close();
  }
  const base = results.untraced?.perRequest;
  for (const result of Object.values(results)) if (base) result.vsUntraced = result.perRequest / base;
  return { measured, warm, exportsReceived: sink.received.requests, results };
}

async function startCounted(stack, { env = {}, nodeArgs = [] }) {
  const port = await freePort();
  const outFile = join(tmpdir(), `groups-bff-callgrind-${port}.out`);
  const proc = spawnTracked(
    'B-counted',
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${outFile}`,
      RUNTIME.path,
      ...nodeArgs,
      ...startArguments(stack.serviceRoot),
    ],
    { env: { ...serviceEnv(stack, port), ...env }, cwd: stack.serviceRoot },
  );
  await waitReady(`http://127.0.0.1:${port}/health/ready`, {
    since: performance.now(),
    alive: proc.alive,
    why: proc.stderr,
    timeoutMs: 300_000,
    pollMs: 250,
  });
  return { proc, pid: proc.pid, url: `http://127.0.0.1:${port}`, outFile };
}

/** `count` hot-path lists, `inFlight` at a time, each with the next user's session; the failures. */
async function drive(url, fixtures, count, { inFlight, forgive = false }) {
  const users = fixtures.hotUsers;
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < count) {
      const user = users[next++ % users.length];
      const answer = await fetch(`${url}/v1/groups`, { headers: { authorization: `Bearer ${user.sessionId}` } });
      await answer.arrayBuffer();
      if (answer.status === 200) continue;
      if (!forgive) throw new Error(`hot path answered ${answer.status}`);
      failed += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return failed;
}

function callgrindControl(pid, option) {
  const run = spawnSync('callgrind_control', [option, String(pid)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`callgrind_control ${option} failed: ${run.stderr || run.stdout}`);
}

/** The instructions counted in the dump written by --dump (the out file's name with `.1`). */
function dumpedInstructions(outFile) {
  const text = readFileSync(`${outFile}.1`, 'utf8');
  rmSync(`${outFile}.1`, { force: true });
  rmSync(outFile, { force: true });
  // `totals` sums the costs in the dump; its `summary` counts from before --zero, as 0.
  const totals = /^totals:\s+(\d+)/m.exec(text);
  if (!totals) throw new Error('the callgrind dump has no totals line');
  return Number(totals[1]);
}
