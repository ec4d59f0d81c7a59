// npm run bench [-- full | quick | soak | profile | dashboard | yardstick | tracing | instructions] [--save-baseline] [--soak-seconds N] [--ref <commit>] [--node <path>]
//   full (default, ~16 min): every scenario (tracing included), interleaved U/F/B rounds, one table, JSON in bench/results/.
//   quick (~40 s): hot path only; exits 1 only if B/F fell below half of bench/baseline.json's ratio.
//   soak: B alone at half its maximum for --soak-seconds (600); exits 1 on any error or RSS growth ≥ 5%.
//   profile: a separate B under `node --cpu-prof` on the hot path; prints the top self-time functions;
//     then R, F0 and B under the allocation probe (scenario 11), open loop at half their max:
//     bytes per request by function, GC pauses, event loop delay.
//     --variant <name>: that B with a tracing variant of bench/tracing-variants.mjs (e.g. "export 100 %").
//   dashboard (~30 s): one user's many tabs polling together; upstream calls per 1,000 reads, F and B.
//   yardstick (~1 min): B and R as the yardstick's README compares them (wrk -c32, one session).
//   tracing (~7 min): hot path of B with tracing inert (twice), propagation only, export 100 % and 10 %.
//   instructions (~15 min): the same five Bs, each under valgrind's callgrind: main-thread instructions per request.
//   --ref <commit>: measure the service as committed there (built in a temp dir), not the working tree.
//   --node <path>: the Node binary every measured process runs on (default: the one running the bench).
// Every child process is ours, tracked by pid and killed on exit, error, Ctrl-C or our own death.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import {
  BENCH_DIR,
  installCleanup,
  killAllNow,
  PINNING,
  pinSelfToDriverCore,
  prepareServiceRoot,
  ROOT,
  RUNTIME,
  startGuardian,
  useRuntime,
} from './processes.mjs';
import { formatAllocations } from './allocation-summary.mjs';
import { formatProfile } from './profile-summary.mjs';
import { guardedRatio, memoryNote, table, verdicts, writeResults } from './report.mjs';
import { bigList } from './scenarios/big-list.mjs';
import { coldLogins } from './scenarios/cold-logins.mjs';
import { creates } from './scenarios/create.mjs';
import { dashboard } from './scenarios/dashboard.mjs';
import { hotPath } from './scenarios/hot-path.mjs';
import { latencyAtRate } from './scenarios/latency.mjs';
import { sampleMemory } from './scenarios/memory.mjs';
import { probeAllocations } from './scenarios/allocations.mjs';
import { profileHotPath } from './scenarios/profile.mjs';
import { yardstick } from './scenarios/yardstick.mjs';
import { soak } from './scenarios/soak.mjs';
import { startupTimes } from './scenarios/startup.mjs';
import { tracingCost } from './scenarios/tracing-cost.mjs';
import { instructionCount, INSTRUCTION_VARIANTS, valgrindVersion } from './scenarios/instruction-count.mjs';
import { startOtlpSink } from './otlp-sink.mjs';
import { tracingVariants } from './tracing-variants.mjs';
import { checkFidelity, createFixtures, HOT_GROUPS, HOT_USERS, startStack } from './stack.mjs';

const BASELINE = join(BENCH_DIR, 'baseline.json');
const args = process.argv.slice(2);
const refAt = args.indexOf('--ref');
const ref = refAt >= 0 ? args[refAt + 1] : undefined;
if (refAt >= 0 && !ref) throw new Error('--ref needs a commit');
const nodeAt = args.indexOf('--node');
if (nodeAt >= 0) {
  if (!args[nodeAt + 1]) throw new Error('--node needs the path of a node binary');
  useRuntime(args[nodeAt + 1]);
}
const positional = args.filter(
  (a, i) => !a.startsWith('--') && !(i > 0 && ['--ref', '--soak-seconds', '--node', '--variant'].includes(args[i - 1])),
);
const mode = positional[0] ?? 'full';
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
};
if (!['full', 'quick', 'soak', 'profile', 'dashboard', 'yardstick', 'tracing', 'instructions'].includes(mode)) {
  console.error(
    `unknown mode "${mode}": use full, quick, soak, profile, dashboard, yardstick, tracing or instructions`,
  );
  process.exit(2);
}
const soakSeconds = option('soak-seconds', 600);
// Hard ceiling on the whole run: nothing here may run unbounded.
const CEILING_S = {
  full: 20 * 60,
  quick: 4 * 60,
  profile: 4 * 60,
  dashboard: 4 * 60,
  yardstick: 4 * 60,
  tracing: 8 * 60,
  instructions: 30 * 60,
  soak: soakSeconds + 6 * 60,
}[mode];

const t0 = performance.now();
const log = (message) => console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}`);

async function main() {
  process.chdir(ROOT);
  installCleanup();
  startGuardian();
  pinSelfToDriverCore();
  setTimeout(() => {
    console.error(`bench: over the ${CEILING_S} s ceiling, stopping everything`);
    killAllNow();
    process.exit(1);
  }, CEILING_S * 1000).unref();

  const environment = describeEnvironment();
  log(`mode ${mode}; ${environment.summary}`);
  if (environment.loadavg1 > 0.5)
    log(
      `warning: load average ${environment.loadavg1.toFixed(2)} before start: other work on this machine will add noise (rounds are interleaved to spread it)`,
    );
  const service = prepareServiceRoot(ref);
  environment.service = service.label;
  log(`service under test: ${service.label}`);

  const forwarder = !['soak', 'profile', 'tracing', 'instructions'].includes(mode);
  const stack = await startStack({
    forwarder,
    reference: forwarder || mode === 'profile', // profile probes R's and F0's allocations beside B's
    floor: mode === 'full',
    serviceRoot: service.root,
  });
  try {
    log(
      `up: redis ${stack.redis.url}, sandbox ${stack.sandboxUrl}, ${Object.values(stack.servers)
        .map((s) => `${s.name} ${s.url} (pid ${s.pid})`)
        .join(', ')}`,
    );
    const fixtures = await createFixtures(stack);
    const results = { mode, environment, hotGroups: HOT_GROUPS, startedAt: new Date().toISOString() };
    if (stack.servers.F) {
      results.fidelity = await checkFidelity(stack, fixtures);
      results.fidelity.forEach((note) => log(note));
    }
    const code = await {
      full: runFull,
      quick: runQuick,
      soak: runSoak,
      profile: runProfile,
      dashboard: runDashboard,
      yardstick: runYardstick,
      tracing: runTracing,
      instructions: runInstructions,
    }[mode](stack, fixtures, results);
    results.finishedAt = new Date().toISOString();
    results.environment.loadavg1End = loadavg()[0];
    results.totalSeconds = Math.round((performance.now() - t0) / 1000);
    log(`results: ${writeResults(mode, results)}`);
    return code;
  } finally {
    await stack.stop();
  }
}

async function runFull(stack, fixtures, results) {
  log('start-up to ready (3 × F, B; no bench load meanwhile)');
  results.startup = await startupTimes(stack, { rounds: 3 }, log);
  const idle = await sampleMemory(stack);
  log(
    'scenario 1: hot path, max throughput (autocannon, 5 s warm-up each, 5 rounds × 8 s, interleaved U R F0 F B / B F F0 R U)',
  );
  results.hotPath = await hotPath(
    stack,
    fixtures,
    { rounds: 5, seconds: 8, warmSeconds: 5, names: ['U', 'R', 'F0', 'F', 'B'] },
    log,
  );
  log("scenario 9: the yardstick's own method (wrk -t1 -c32, one warm session; B and R, 3 rounds × 8 s)");
  results.yardstick = await yardstick(stack, fixtures, {}, log);
  const rate = Math.round(results.hotPath.summary.B.rps / 2);
  log(`latency at ${rate} req/s (half of B's max), open loop, 3 rounds × 10 s`);
  results.latency = await latencyAtRate(stack, fixtures, { rate, rounds: 3, seconds: 10 }, log);
  const afterHotPath = await sampleMemory(stack);
  log(
    'scenario 11: heap allocated per request, GC pauses, event loop delay (separate probed R, F0 and B, open loop at half their max)',
  );
  results.allocations = await probeAllocations(stack, fixtures, { names: ['R', 'F0', 'B'] }, log);
  log('scenario 2: create (3 rounds × 1500 creates, 32 concurrent)');
  results.creates = await creates(stack, { rounds: 3, count: 1500, concurrency: 32 }, log);
  log('scenario 3: cold Basic logins (3 rounds × 1000 distinct logins, 50 concurrent)');
  results.coldLogins = await coldLogins(stack, { rounds: 3, count: 1000, concurrency: 50 }, log);
  log('scenario 4: 10,000-group list (3 rounds × 20 one at a time + 40 at 4 concurrent)');
  results.bigList = await bigList(stack, fixtures, { rounds: 3, sequential: 20, concurrent: 40, concurrency: 4 }, log);
  results.memory = { idle, afterHotPath, after: await sampleMemory(stack) };
  log('scenario 8: polling dashboard (20 tabs of one user refreshing together, DeepCall answering in 50 ms)');
  results.dashboard = await dashboard(stack, fixtures, {}, log);
  log(tracingTitle());
  results.tracing = await tracingCost(stack, fixtures, TRACING_ROUNDS, log);
  results.errors = countErrors(results);
  results.lastSoak = lastSoak();
  results.verdicts = verdicts(results);
  if (existsSync(BASELINE)) results.baseline = JSON.parse(readFileSync(BASELINE, 'utf8'));
  printTable(results);
  if (args.includes('--save-baseline')) saveBaseline(results);
  return 0; // a report: the verdicts are in the table; only quick and soak gate
}

async function runQuick(stack, fixtures, results) {
  log('quick: hot path only (R, F, B: warm 5 s, 3 rounds × 4 s)');
  results.hotPath = await hotPath(
    stack,
    fixtures,
    { rounds: 3, seconds: 4, warmSeconds: 5, names: ['R', 'F', 'B'] },
    log,
  );
  results.errors = ['R', 'F', 'B'].reduce((sum, name) => sum + results.hotPath.summary[name].errors, 0);
  results.rssAfterHotPath = await sampleMemory(stack);
  if (existsSync(BASELINE)) results.baseline = JSON.parse(readFileSync(BASELINE, 'utf8'));
  printTable(results);
  if (results.errors > 0) {
    log(`quick: ${results.errors} errors on the hot path`);
    return 1;
  }
  if (!results.baseline) {
    log('quick: no bench/baseline.json yet (run `npm run bench -- --save-baseline`); nothing to compare, passing');
    return 0;
  }
  const floor = results.baseline.hotPathRatio / 2;
  const now = guardedRatio(results.hotPath, results.baseline);
  const regressed = now < floor;
  log(
    `quick: ${results.baseline.guards ?? 'B/F'} ${now.toFixed(3)} vs baseline ${results.baseline.hotPathRatio.toFixed(3)} (gross regression below ${floor.toFixed(3)}): ${regressed ? 'REGRESSION' : 'ok'}`,
  );
  return regressed ? 1 : 0;
}

async function runYardstick(stack, fixtures, results) {
  results.yardstick = await yardstick(stack, fixtures, {}, log);
  results.errors = results.yardstick.summary.B.errors + results.yardstick.summary.R.errors;
  printTable(results);
  return results.errors === 0 ? 0 : 1;
}

async function runDashboard(stack, fixtures, results) {
  results.dashboard = await dashboard(stack, fixtures, {}, log);
  results.errors = Object.values(results.dashboard.summary).reduce((sum, s) => sum + s.errors, 0);
  printTable(results);
  return results.errors === 0 ? 0 : 1;
}

async function runSoak(stack, fixtures, results) {
  results.soak = await soak(stack, fixtures, { seconds: soakSeconds }, log);
  printTable(results);
  return results.soak.pass.errors && results.soak.pass.rssGrowth ? 0 : 1;
}

/** Scenario 10's rounds (full and tracing mode): short, so the five Bs of a round run seconds apart. */
const TRACING_ROUNDS = { rounds: 21, seconds: 3, warmSeconds: 5 };

function tracingTitle() {
  return `tracing: hot path of five Bs (tracing inert twice, propagation only, export 100 %, export 10 %), warm ${TRACING_ROUNDS.warmSeconds} s, ${TRACING_ROUNDS.rounds} rounds × ${TRACING_ROUNDS.seconds} s`;
}

async function runTracing(stack, fixtures, results) {
  log(tracingTitle());
  results.tracing = await tracingCost(stack, fixtures, TRACING_ROUNDS, log);
  results.errors = errorsIn(results.tracing.summary);
  results.verdicts = verdicts(results);
  printTable(results);
  log(`the stand-in collector received ${results.tracing.exportsReceived} exports`);
  return results.errors === 0 ? 0 : 1;
}

/** The instructions mode's load per B: a warm-up, then the counted requests (one user per connection). */
const INSTRUCTION_LOAD = { warmRequests: 2000, requests: 3000, connections: 4 };

async function runInstructions(stack, fixtures, results) {
  const valgrind = valgrindVersion();
  if (!valgrind) {
    log('instructions: valgrind is not installed (Debian: apt-get install valgrind)');
    return 1;
  }
  const { warmRequests, requests, connections } = INSTRUCTION_LOAD;
  log(
    `instructions (${valgrind}): ${INSTRUCTION_VARIANTS.join(', ')}; each B under callgrind, ${warmRequests} requests to warm, then ${requests} counted, ${connections} connections`,
  );
  results.instructions = { valgrind, ...(await instructionCount(stack, fixtures, INSTRUCTION_LOAD, log)) };
  results.errors = errorsIn(results.instructions.summary);
  results.verdicts = verdicts(results);
  printTable(results);
  return results.errors === 0 ? 0 : 1;
}

async function runProfile(stack, fixtures, results) {
  const variantAt = args.indexOf('--variant');
  const sink = variantAt >= 0 ? await startOtlpSink() : undefined;
  const variant = sink ? tracingVariants(sink.url)[args[variantAt + 1]] : {};
  if (!variant) throw new Error(`--variant: one of ${Object.keys(tracingVariants('')).join(', ')}`);
  try {
    results.profile = await profileHotPath(stack, fixtures, { seconds: 15, warmSeconds: 5, variant }, log);
    results.allocations = await probeAllocations(stack, fixtures, { names: ['R', 'F0', 'B'], variant }, log);
  } finally {
    await sink?.close();
  }
  console.log(
    `\nCPU profile of B on node ${RUNTIME.version}, hot path (${Math.round(results.profile.rpsUnderProfiler)} req/s under the profiler; ${results.profile.window})\n${results.profile.file}\n`,
  );
  console.log(formatProfile(results.profile.summary));
  const a = results.allocations.summary.B;
  console.log(
    `\nallocations of B on node ${RUNTIME.version}, open loop at ${a.rate} req/s (half its max under the probe; p99 ${a.latencyMs.p99.toFixed(1)} ms, errors ${a.errors})`,
  );
  console.log(formatAllocations(a));
  for (const name of ['R', 'F0']) {
    const other = results.allocations.summary[name];
    console.log(`\n${name} beside it, the same way (${other.rate} req/s):\n${formatAllocations(other, 8)}`);
  }
  return 0;
}

function printTable(results) {
  console.log(
    `\ngroups-bff bench (${mode}) on node ${RUNTIME.version} — ${results.environment.summary}, ${loadavg()[0].toFixed(2)} at end`,
  );
  console.log(`every figure below: U, R, F and B all on node ${RUNTIME.version} (${RUNTIME.path})`);
  console.log(
    `U = DeepCall sandbox called directly, R = minimal reference forwarder (bench/reference-forwarder.mjs), F = forwarder doing all B does (bench/forwarder.mjs), B = the service (${results.environment.service}: node dist/main.js, NODE_ENV=production, LOG_LEVEL=info); hot path lists ${HOT_GROUPS} groups, ${HOT_USERS} users, one per connection\n`,
  );
  console.log(table(results));
  const memory = memoryNote(results);
  if (memory) console.log(`\n${memory}`);
  const failed = (results.verdicts ?? []).filter((v) => !v.ok);
  if (results.verdicts)
    console.log(
      `\nbar: ${results.verdicts.length - failed.length}/${results.verdicts.length} PASS${failed.length ? `; FAIL: ${failed.map((v) => v.name).join('; ')}` : ''}`,
    );
  console.log('');
}

function saveBaseline(results) {
  const hp = results.hotPath;
  const baseline = {
    guards: 'B/R',
    hotPathRatio: Number(hp.ratioBR.toFixed(4)),
    note: 'B/R throughput ratio (service / minimal reference forwarder) on the hot path from a full run; quick mode fails only below half of it. A ratio, never an absolute time.',
    measuredAt: results.startedAt,
    machine: {
      cpus: results.environment.cpus,
      cpuModel: results.environment.cpuModel,
      node: RUNTIME.version,
      pinning: results.environment.pinning,
    },
    hotPath: {
      R: Math.round(hp.summary.R.rps),
      F: Math.round(hp.summary.F.rps),
      B: Math.round(hp.summary.B.rps),
      ratioRoundsBR: hp.ratioRoundsBR,
      ratioBF: Number(hp.ratioBF.toFixed(4)),
      ratioRoundsBF: hp.ratioRounds,
    },
  };
  writeFileSync(BASELINE, `${JSON.stringify(baseline, null, 2)}\n`);
  log(`baseline written: ${BASELINE}`);
}

/** The newest soak this checkout ran (bench/results/soak-*.json): a full run has no hour to spare. */
function lastSoak() {
  const dir = join(BENCH_DIR, 'results');
  if (!existsSync(dir)) return undefined;
  const newest = readdirSync(dir)
    .filter((name) => /^soak-.*\.json$/.test(name))
    .sort()
    .at(-1);
  if (!newest) return undefined;
  const { soak: s, startedAt } = JSON.parse(readFileSync(join(dir, newest), 'utf8'));
  return { at: startedAt, seconds: s.seconds, growth: s.rss.growth, errors: s.result.errors };
}

/** The errors of every measured process of one scenario. */
const errorsIn = (summary) => Object.values(summary).reduce((sum, x) => sum + (x.errors ?? 0), 0);

function countErrors(r) {
  return [r.hotPath, r.latency, r.creates, r.coldLogins, r.bigList, r.dashboard, r.yardstick, r.tracing].reduce(
    (sum, scenario) => sum + errorsIn(scenario.summary),
    0,
  );
}

function describeEnvironment() {
  const list = cpus();
  const pinning = PINNING.enabled
    ? `taskset: B/F alone on core ${PINNING.server}; load generator, sandbox, redis on core ${PINNING.driver}`
    : 'no pinning (taskset missing or 1 core)';
  const loadavg1 = loadavg()[0];
  return {
    node: RUNTIME.version,
    nodePath: RUNTIME.path,
    cpus: list.length,
    cpuModel: list[0]?.model,
    pinning,
    loadavg1,
    loadGenerator:
      'autocannon 8 (throughput), bench/open-loop.mjs on undici (latency), bench/burst.mjs on undici (fixed-count scenarios)',
    summary: `node ${RUNTIME.version}, ${list.length} × ${list[0]?.model ?? 'cpu'}, ${pinning}, load avg ${loadavg1.toFixed(2)} at start`,
  };
}

main()
  .then((code) => {
    log(`done (exit ${code})`);
    process.exit(code);
  })
  .catch((error) => {
    console.error('bench failed:', error instanceof Error ? error.stack : error);
    killAllNow();
    process.exit(1);
  });
