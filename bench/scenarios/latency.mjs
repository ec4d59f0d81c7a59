// Latency at a fixed rate (about half of B's measured maximum), open loop, for U (the upstream
// called directly), F and B, interleaved. Latencies of all rounds are pooled per target; "added"
// is the target's percentile minus U's at the same rate.
import { openLoop } from '../open-loop.mjs';
import { PINNING, watchServerCore } from '../processes.mjs';
import { round } from '../stats.mjs';
import { percentiles } from '../stats.mjs';
import { hotTargets, interleave } from './targets.mjs';

export async function latencyAtRate(stack, fixtures, { rate, rounds, seconds }, log) {
  const targets = hotTargets(stack, fixtures);
  const names = ['U', 'R', 'F', 'B'].filter((name) => targets[name]);
  const perRound = await interleave(
    rounds,
    names,
    async (name) => {
      const t = targets[name];
      // A round with other processes on the server core (over 10 % of it) is run once more and
      // the quieter attempt kept: at half load, a neighbour taking half the core doubles B's load.
      let result;
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        const core = watchServerCore(t.server);
        const run = await openLoop({
          origin: t.origin,
          path: t.path,
          method: t.method,
          headers: t.headers,
          headerSets: t.headerSets,
          body: t.body,
          rate,
          seconds,
        });
        Object.assign(run, core(), { attempts: attempt });
        if (name === 'U') run.neighbours = NaN; // U runs on the driver core, not the server core
        if (!result || run.neighbours < result.neighbours) result = run;
        if (!(PINNING.enabled && result.neighbours > 0.1) || attempt === 2) break;
        log(
          `  ${name}: ${pct(run.neighbours)} of the server core went to other processes; measuring this round once more`,
        );
      }
      const l = result.latencyMs;
      return {
        ...result,
        summary: `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, max ${l.max.toFixed(1)} ms, errors ${result.errors}, server busy ${pct(result.serverBusy)}, other processes on its core ${pct(result.neighbours)}, sends >1 ms late ${pct(result.sendLate.over1msShare)}`,
      };
    },
    log,
  );

  const summary = {};
  for (const name of names) {
    const results = perRound[name];
    const pooled = percentiles(concat(results.map((r) => r.latencies)), [50, 90, 99, 99.9]);
    summary[name] = {
      p50: pooled.p50,
      p90: pooled.p90,
      p99: pooled.p99,
      p99_9: pooled.p99_9,
      max: pooled.max,
      samples: pooled.count,
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      sendLateMaxMs: Math.max(...results.map((r) => r.sendLate.maxMs)),
      serverBusy: Math.max(...results.map((r) => r.serverBusy)),
      neighbours: Math.max(...results.map((r) => r.neighbours)),
      roundsP99: results.map((r) => round(r.latencyMs.p99, 2)),
    };
  }
  const added = (name) => ({ p50: summary[name].p50 - summary.U.p50, p99: summary[name].p99 - summary.U.p99 });
  return {
    rate,
    rounds,
    seconds,
    summary,
    added: Object.fromEntries(names.filter((name) => name !== 'U').map((name) => [name, added(name)])),
  };
}

const pct = (share) => `${(share * 100).toFixed(1)}%`;

function concat(arrays) {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}
