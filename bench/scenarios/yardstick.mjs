// Scenario 9: the comparison exactly as the yardstick's README runs it: `wrk -t1 -c32 -d8s
// --latency` on GET /v1/groups with one warm Bearer session, B and R interleaved, medians. One
// session on every connection means 32 identical reads of one user in flight: B shares them
// upstream (read coalescing) and R cannot, so this ratio measures the coalescing as much as the
// cost of a request. Scenario 1 (one user per connection) is the per-request figure; both are shown.
// Without wrk on the PATH, autocannon runs the same load (32 connections, one session).
import { spawn, spawnSync } from 'node:child_process';
import { closedLoop } from '../closed-loop.mjs';
import { cpuMicros } from '../processes.mjs';
import { upstreamStats } from '../stack.mjs';
import { median, round } from '../stats.mjs';
import { interleave } from './targets.mjs';

const CONNECTIONS = 32;
export const hasWrk = () => spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0;

export async function yardstick(stack, fixtures, { rounds = 3, seconds = 8, warmSeconds = 5 }, log) {
  const tool = hasWrk() ? 'wrk' : 'autocannon';
  const authorization = `Bearer ${fixtures.hot.sessionId}`;
  const names = ['B', 'R'];
  const load = (name, duration) => {
    const server = stack.servers[name];
    const url = `${server.url}/v1/groups`;
    return tool === 'wrk'
      ? wrk(url, authorization, duration, server.pid)
      : closedLoop({
          url,
          headers: { authorization },
          connections: CONNECTIONS,
          seconds: duration,
          server: server.pid,
        });
  };
  for (const name of names) {
    log(`  warming ${name} (${warmSeconds} s, ${tool})`);
    await load(name, warmSeconds);
  }
  const perRound = await interleave(
    rounds,
    names,
    async (name) => {
      const before = (await upstreamStats(stack)).requests.list;
      const result = await load(name, seconds);
      const upstreamCalls = (await upstreamStats(stack)).requests.list - before;
      const upstreamPerRequest = upstreamCalls / Math.max(1, result.requests);
      return {
        ...result,
        upstreamPerRequest,
        summary: `${Math.round(result.rps)} req/s, ${Math.round(result.serverCpuUsPerRequest)} µs CPU/req, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ${round(upstreamPerRequest, 3)} upstream calls per request, errors ${result.errors}`,
      };
    },
    log,
  );
  const summary = Object.fromEntries(
    names.map((name) => {
      const results = perRound[name];
      return [
        name,
        {
          rps: median(results.map((r) => r.rps)),
          cpuUsPerRequest: median(results.map((r) => r.serverCpuUsPerRequest)),
          p50: median(results.map((r) => r.latencyMs.p50)),
          p99: median(results.map((r) => r.latencyMs.p99)),
          upstreamPerRequest: median(results.map((r) => r.upstreamPerRequest)),
          errors: results.reduce((sum, r) => sum + r.errors, 0),
        },
      ];
    }),
  );
  const ratios = perRound.B.map((b, i) => b.rps / perRound.R[i].rps);
  return { tool, connections: CONNECTIONS, seconds, rounds, summary, ratioBR: median(ratios), ratioRounds: ratios };
}

/** One wrk run (one thread, 32 connections, latency percentiles), read from its text report. */
async function wrk(url, authorization, seconds, serverPid) {
  const cpuBefore = cpuMicros(serverPid);
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-H', `Authorization: ${authorization}`, url];
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`wrk exited ${code}: ${out}`);
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const latencyMs = (label) => toMs(new RegExp(`^\\s*${label}%\\s+(\\S+)`, 'm').exec(out)[1]);
  const failed = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    requests,
    errors: failed + (socketErrors ? socketErrors.slice(1).reduce((sum, x) => sum + Number(x), 0) : 0),
    latencyMs: { p50: latencyMs('50'), p99: latencyMs('99') },
    serverCpuUsPerRequest: (cpuMicros(serverPid) - cpuBefore) / Math.max(1, requests),
  };
}

// wrk prints durations as 812.00us, 2.36ms or 1.02s.
function toMs(text) {
  const [, value, unit] = /^([\d.]+)(us|ms|s)$/.exec(text);
  return Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit];
}
