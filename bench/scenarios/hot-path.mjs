// Scenario 1: maximum throughput of the hot path (list with warm Bearer sessions, one user per
// connection), autocannon, interleaved rounds. B/R, B/F and B/F0 are medians of per-round ratios.
import { closedLoop } from '../closed-loop.mjs';
import { median, round } from '../stats.mjs';
import { hotTargets, interleave } from './targets.mjs';

export async function hotPath(
  stack,
  fixtures,
  { rounds, seconds, warmSeconds, connections = 50, names = ['U', 'R', 'F', 'B'] },
  log,
) {
  const targets = hotTargets(stack, fixtures);
  const run = (name, duration) => {
    const t = targets[name];
    return closedLoop({
      url: `${t.origin}${t.path}`,
      method: t.method,
      headers: t.headers,
      headerSets: t.headerSets,
      body: t.body,
      connections,
      seconds: duration,
      server: t.server,
      helpers: t.helpers,
    });
  };
  for (const name of names) {
    log(`  warming ${name} (${warmSeconds} s)`);
    await run(name, warmSeconds);
  }
  const perRound = await interleave(
    rounds,
    names,
    async (name) => {
      const result = await run(name, seconds);
      return {
        ...result,
        summary: `${Math.round(result.rps)} req/s, ${Math.round(result.serverCpuUsPerRequest)} µs CPU/req, server core ${pct(result.serverCoreBusy)} (other processes there ${pct(result.neighbours)}), driver core ${pct(result.driverCoreBusy)}, errors ${result.errors}`,
      };
    },
    log,
  );

  const summary = {};
  for (const name of names) {
    const results = perRound[name];
    summary[name] = {
      rps: median(results.map((r) => r.rps)),
      cpuUsPerRequest: median(results.map((r) => r.serverCpuUsPerRequest)),
      serverCoreBusy: median(results.map((r) => r.serverCoreBusy)),
      neighbours: Math.max(...results.map((r) => r.neighbours)),
      driverCoreBusy: median(results.map((r) => r.driverCoreBusy)),
      latencyMs: { p50: median(results.map((r) => r.latencyMs.p50)), p99: median(results.map((r) => r.latencyMs.p99)) },
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      rounds: results.map((r) => round(r.rps, 0)),
    };
  }
  const ratiosTo = (other) =>
    names.includes(other) && names.includes('B') ? perRound.B.map((b, i) => b.rps / perRound[other][i].rps) : [];
  const [toF, toR, toF0] = [ratiosTo('F'), ratiosTo('R'), ratiosTo('F0')];
  return {
    connections,
    seconds,
    rounds,
    summary,
    ratioBF: median(toF),
    ratioRounds: toF.map((r) => round(r, 3)),
    ratioBR: median(toR),
    ratioRoundsBR: toR.map((r) => round(r, 3)),
    ratioBF0: median(toF0),
    ratioRoundsBF0: toF0.map((r) => round(r, 3)),
    perRound: strip(perRound),
  };
}

const pct = (share) => `${Math.round(share * 100)}%`;
const strip = (perRound) =>
  Object.fromEntries(
    Object.entries(perRound).map(([name, results]) => [name, results.map(({ summary: _summary, ...rest }) => rest)]),
  );
