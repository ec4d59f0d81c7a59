// `npm run bench -- instructions`: what tracing costs, counted rather than timed. Each variant's B
// runs under valgrind's callgrind, which counts the instructions each thread of the process
// executes in user space (JIT code included) whatever else the machine does. After a warm-up the
// counters are zeroed, a fixed number of hot-path requests is driven (one user per connection) and
// the counters are dumped. The main thread's count (the event loop, where tracing's code runs) is
// the figure: two identical Bs agree on it far closer than timed rounds do (2–3 %), while the
// helper threads' (concurrent GC, background compilation) move with timing. Each variant is
// judged against the mean of two inert Bs, and the second inert B against the first.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closedLoop } from '../closed-loop.mjs';
import { startOtlpSink } from '../otlp-sink.mjs';
import { BENCH_DIR, stopTracked } from '../processes.mjs';
import { round } from '../stats.mjs';
import { startService } from '../stack.mjs';
import { tracingVariants } from '../tracing-variants.mjs';
import { hotHeaderSets } from './targets.mjs';

/** Every variant of the tracing scenario, in its order: the two inert Bs first. */
export const INSTRUCTION_VARIANTS = Object.keys(tracingVariants(''));

/** Whether valgrind can run here (the mode says so and stops otherwise). */
export function valgrindVersion() {
  try {
    return execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export async function instructionCount(stack, fixtures, { warmRequests, requests, connections }, log) {
  const dir = join(BENCH_DIR, 'results', 'callgrind');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sink = await startOtlpSink();
  const variants = tracingVariants(sink.url);
  const headerSets = hotHeaderSets(fixtures);
  const measured = {};
  try {
    for (const variant of INSTRUCTION_VARIANTS) {
      const { nodeArgs, env } = variants[variant];
      const out = join(dir, `${variant.replace(/\W+/g, '-')}.%p`);
      // JIT code is written at run time: valgrind must watch for it everywhere, not only on the stack.
      const launcher = [
        'valgrind',
        '--tool=callgrind',
        '--smc-check=all-non-file',
        '--separate-threads=yes',
        `--callgrind-out-file=${out}`,
      ];
      const server = await startService(stack, { name: 'B-counted', nodeArgs, env, launcher, readyTimeoutMs: 300_000 });
      try {
        const url = `${server.url}/v1/groups`;
        const load = (amount) => closedLoop({ url, headerSets, connections, amount, server: server.pid });
        const warm = await load(warmRequests);
        callgrindControl('-z', server.pid);
        const run = await load(requests);
        callgrindControl('-d', server.pid);
        const instructions = dumpedInstructions(dir, server.pid);
        measured[variant] = {
          // The event loop's own: the figure compared. Helper threads (concurrent GC, background
          // compilation) vary with timing by several per cent between identical processes.
          mainThreadPerRequest: instructions.main / run.requests,
          allThreadsPerRequest: instructions.all / run.requests,
          requests: run.requests,
          errors: run.errors,
          warmUpErrors: warm.errors,
          statusCounts: { warmUp: warm.statusCounts, counted: run.statusCounts },
          rpsUnderValgrind: run.rps,
        };
        log(
          `  ${variant}: ${perRequest(instructions.main, run)} instructions per request on the main thread, ${perRequest(instructions.all, run)} in all threads (${run.requests} requests at ${Math.round(run.rps)} req/s under valgrind; statuses ${JSON.stringify(run.statusCounts)}, in the warm-up ${JSON.stringify(warm.statusCounts)})`,
        );
      } finally {
        await stopTracked(server.proc, 'SIGTERM', 60_000);
      }
    }
  } finally {
    await sink.close();
    // Only their totals are read: the node binary carries no symbols for callgrind to name its
    // functions by, and JIT code has none either.
    rmSync(dir, { recursive: true, force: true });
  }
  return { warmRequests, requests, connections, summary: compare(measured) };
}

const perRequest = (total, run) => Math.round(total / run.requests).toLocaleString('en');

/** Each variant's main thread against the mean of the inert Bs'; the second inert B against the first. */
function compare(measured) {
  const first = measured.untraced.mainThreadPerRequest;
  const twin = measured['untraced, again'].mainThreadPerRequest;
  const base = (first + twin) / 2;
  return Object.fromEntries(
    Object.entries(measured).map(([variant, m]) => {
      const against = variant === 'untraced, again' ? first : base;
      return [
        variant,
        {
          ...m,
          mainThreadPerRequest: Math.round(m.mainThreadPerRequest),
          allThreadsPerRequest: Math.round(m.allThreadsPerRequest),
          moreThanUntraced: round(m.mainThreadPerRequest / against - 1, 4),
          extraPerRequest: Math.round(m.mainThreadPerRequest - against),
        },
      ];
    }),
  );
}

/** callgrind_control's zero (-z) or dump (-d), sent to the running process. */
function callgrindControl(flag, pid) {
  execFileSync('callgrind_control', [flag, String(pid)], { stdio: 'ignore', timeout: 60_000 });
}

/**
 * The instruction totals of the process's dump, one file per thread (`<variant>.<pid>.1-NN`, the
 * main thread first): each file's `summary:` line.
 */
function dumpedInstructions(dir, pid) {
  const names = readdirSync(dir)
    .filter((file) => file.includes(`.${pid}.1-`))
    .sort();
  if (names.length === 0) throw new Error(`callgrind wrote no dump for pid ${pid}`);
  const totals = names.map((name) => {
    // The header holds it; the rest (per-function costs, megabytes) is not read.
    const head = Buffer.alloc(64 * 1024);
    const fd = openSync(join(dir, name), 'r');
    const text = head.toString('utf8', 0, readSync(fd, head, 0, head.length, 0));
    closeSync(fd);
    const summary = /^summary: (\d+)$/m.exec(text);
    if (!summary) throw new Error(`${name}: no summary line`);
    return Number(summary[1]);
  });
  return { all: totals.reduce((sum, total) => sum + total, 0), main: totals[0] };
}
