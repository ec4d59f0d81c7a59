// Child processes of the bench: pinned to cores, tracked, and always killed (by pid) on the way out.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent, markBuilt } from '../scripts/build-stamp.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BENCH_DIR = join(ROOT, 'bench');

/**
 * The Node that runs every measured process (U, R, F, B): `--node <path>`, else the one running
 * the bench (npm scripts: the pinned node_modules/.bin/node). Its version goes with every figure.
 */
export const RUNTIME = { path: process.execPath, version: process.version };

export function useRuntime(path) {
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = probe.stdout?.trim();
  if (probe.status !== 0 || !/^v\d+\.\d+\.\d+/.test(version ?? ''))
    throw new Error(`--node ${path}: not a runnable node (${probe.error?.message ?? probe.stderr})`);
  Object.assign(RUNTIME, { path, version });
}

/**
 * Core layout. With two or more cores: the server under test alone on core 0; everything that
 * only exists to feed it (this process with the load generators, the sandbox, Redis) on core 1.
 */
export const PINNING = (() => {
  const usable = availableParallelism() >= 2 && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
  return usable
    ? { enabled: true, server: '0', driver: '1' }
    : { enabled: false, server: undefined, driver: undefined };
})();

/** Pins this process (every thread) to the driver core; children started later inherit it. */
export function pinSelfToDriverCore() {
  if (!PINNING.enabled) return;
  spawnSync('taskset', ['-a', '-cp', PINNING.driver, String(process.pid)], { stdio: 'ignore' });
}

const children = new Set();
let guardian;

/**
 * A helper process that outlives us only to kill what we started: if this process dies in a way
 * no handler sees (SIGKILL), the guardian's stdin closes and it kills the recorded pids.
 */
export function startGuardian() {
  if (guardian) return;
  guardian = spawn(process.execPath, [join(BENCH_DIR, 'guardian.mjs')], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  guardian.unref();
  guardian.stdin.on('error', () => {});
}

export function guard(pid) {
  guardian?.stdin.write(`+${pid}\n`);
}

export function unguard(pid) {
  if (guardian?.stdin.writable) guardian.stdin.write(`-${pid}\n`);
}

/**
 * Spawns a tracked child, pinned to `core` when pinning is on. stdout goes to /dev/null unless
 * asked for (production logs are written, just not kept); stderr keeps its last 8 KB for errors.
 */
export function spawnTracked(name, command, args, { env, core, cwd = ROOT, stdout = 'ignore', nodeArgs = [] } = {}) {
  const isNode = command === RUNTIME.path;
  const fullArgs = isNode ? [...nodeArgs, ...args] : args;
  const [cmd, argv] =
    core !== undefined && PINNING.enabled ? ['taskset', ['-c', core, command, ...fullArgs]] : [command, fullArgs];
  const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', stdout, 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8192);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const tracked = {
    name,
    child,
    pid: child.pid,
    exited,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
  };
  children.add(tracked);
  guard(child.pid);
  exited.then(() => {
    children.delete(tracked);
    unguard(child.pid);
  });
  return tracked;
}

/** Asks a child to stop, then kills it if it has not gone within `graceMs`. */
export async function stopTracked(tracked, signal = 'SIGTERM', graceMs = 5000) {
  if (!tracked.alive()) return tracked.exited;
  tracked.child.kill(signal);
  const timer = setTimeout(() => tracked.alive() && tracked.child.kill('SIGKILL'), graceMs);
  const result = await tracked.exited;
  clearTimeout(timer);
  return result;
}

/** Extra pids started by helpers we do not own the spawn of (the private Redis). */
const foreignPids = new Set();
export function trackPid(pid) {
  foreignPids.add(pid);
  guard(pid);
}
export function untrackPid(pid) {
  foreignPids.delete(pid);
  unguard(pid);
}

/** Synchronous last resort: SIGKILL every child by pid. Safe to call more than once. */
export function killAllNow() {
  for (const tracked of children) if (tracked.alive()) tracked.child.kill('SIGKILL');
  for (const pid of foreignPids) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  foreignPids.clear();
}

export function closeGuardian() {
  guardian?.stdin.end();
}

/** Installs exit / signal / crash handlers once, so nothing we started survives us. */
export function installCleanup() {
  process.once('exit', () => {
    killAllNow();
    closeGuardian();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping every child process`);
      killAllNow();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (error) => {
    console.error('bench: uncaught', error);
    killAllNow();
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error('bench: unhandled rejection', error);
    killAllNow();
    process.exit(1);
  });
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time (user + system) of a process so far, in µs, from /proc/<pid>/stat. */
export function cpuMicros(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/**
 * Process time (user + nice + system) spent on one CPU so far, in µs, from /proc/stat. Interrupt
 * time is left out: loopback network work lands there whoever caused it.
 */
export function coreBusyMicros(core) {
  if (core === undefined) return NaN;
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${core} `));
  const [user, nice, system] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user + nice + system) * 1e6) / CLOCK_TICKS;
}

/**
 * The noisy-neighbour meter: starts a measurement of how much of the server core went to
 * anything other than the server process (`pid`). Call the returned function at the end; it
 * gives the server's CPU share and the others' share of the wall time in between.
 */
export function watchServerCore(pid) {
  const before = { core: coreBusyMicros(PINNING.server), server: cpuMicros(pid), at: performance.now() };
  return () => {
    const wallUs = (performance.now() - before.at) * 1000;
    const server = cpuMicros(pid) - before.server;
    const core = coreBusyMicros(PINNING.server) - before.core;
    return { serverBusy: server / wallUs, neighbours: Math.max(0, (core - server) / wallUs) };
  };
}

/** VmRSS and VmHWM (peak) in MB from /proc/<pid>/status. */
export function memoryMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    // RssAnon: the heap, malloc and thread stacks; RssFile: the pages of the binary and the files mapped.
    return {
      rssMb: kb('VmRSS') / 1024,
      peakMb: kb('VmHWM') / 1024,
      anonMb: kb('RssAnon') / 1024,
      fileMb: kb('RssFile') / 1024,
    };
  } catch {
    return { rssMb: NaN, peakMb: NaN, anonMb: NaN, fileMb: NaN };
  }
}

/** Builds the service with `npx nest build` unless dist/ is the build of the sources as they are. */
export function buildIfStale() {
  if (buildIsCurrent(ROOT)) return { built: false };
  console.log('bench: dist/ missing or older than the sources, building (npx nest build)…');
  const result = spawnSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 240_000 });
  if (result.status !== 0)
    throw new Error('npx nest build failed; fix the build (or wait for the other editors) and rerun');
  markBuilt(ROOT);
  return { built: true };
}

/**
 * `--ref <commit>`: the service as committed at <commit>, exported (git archive) into a temp
 * directory with a node_modules symlink and built there once per commit. Lets a run measure a
 * commit while the working tree is mid-edit, or compare two commits. Returns the directory that
 * holds dist/ (the repository root without --ref).
 */
export function prepareServiceRoot(ref) {
  if (!ref) {
    buildIfStale();
    return { root: ROOT, label: 'working tree' };
  }
  const sha = spawnSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], {
    cwd: ROOT,
    encoding: 'utf8',
  }).stdout.trim();
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`--ref ${ref}: not a commit`);
  const root = join(tmpdir(), `groups-bff-bench-${sha.slice(0, 12)}`);
  if (!existsSync(join(root, 'dist', 'main.js'))) {
    console.log(`bench: building ${ref} (${sha.slice(0, 12)}) in ${root}…`);
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    const files = ['src', 'package.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json'];
    const archive = spawnSync('sh', ['-c', `git archive ${sha} ${files.join(' ')} | tar -x -C '${root}'`], {
      cwd: ROOT,
      stdio: 'inherit',
      timeout: 60_000,
    });
    if (archive.status !== 0) throw new Error(`--ref ${ref}: git archive failed`);
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    const build = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'],
      { cwd: root, stdio: 'inherit', timeout: 240_000 },
    );
    if (build.status !== 0) {
      rmSync(join(root, 'dist'), { recursive: true, force: true });
      throw new Error(`--ref ${ref}: nest build failed`);
    }
  }
  return { root, label: `commit ${sha.slice(0, 12)} (--ref ${ref})` };
}

/** A clean environment for children: no npm_* noise, nothing inherited that changes behaviour. */
export function baseEnv(extra) {
  const keep = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'];
  return {
    ...Object.fromEntries(keep.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]])),
    ...extra,
  };
}
