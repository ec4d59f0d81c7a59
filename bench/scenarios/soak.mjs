// Scenario 7: the hot path on B for a long time (default 600 s) at half of B's maximum, open
// loop. Passes with zero errors and RSS growth under 5 % (the performance issue's bar): RSS at the end against RSS once warm,
// each the median of a window of samples (every 5 s): the minute after min(60 s, 10% of the run)
// (before it, heap and JIT warm up) and the last minute. Single samples swing by ±20% with where
// V8 is in its collection cycle, which a median of twelve does not.
import { memoryMb, watchServerCore } from '../processes.mjs';
import { BAR } from '../report.mjs';
import { openLoop } from '../open-loop.mjs';
import { median } from '../stats.mjs';
import { hotPath } from './hot-path.mjs';
import { hotTargets } from './targets.mjs';

export async function soak(stack, fixtures, { seconds }, log) {
  log('soak: measuring B maximum (3 × 5 s)');
  const max = await hotPath(stack, fixtures, { rounds: 3, seconds: 5, warmSeconds: 3, names: ['B'] }, log);
  const rate = Math.max(1, Math.round(max.summary.B.rps / 2));
  const t = hotTargets(stack, fixtures).B;
  const pid = stack.servers.B.pid;
  const samples = [];
  const started = performance.now();
  const sample = () => samples.push({ atS: Math.round((performance.now() - started) / 1000), ...memoryMb(pid) });
  sample();
  const sampler = setInterval(sample, 5000);
  const core = watchServerCore(pid);
  let lastLog = 0;
  log(`soak: ${seconds} s at ${rate} req/s (half of ${Math.round(max.summary.B.rps)})`);
  const result = await openLoop({
    origin: t.origin,
    path: t.path,
    headers: t.headers,
    headerSets: t.headerSets,
    rate,
    seconds,
    onProgress: ({ sent, elapsedMs, counts }) => {
      if (elapsedMs - lastLog < 30_000) return;
      lastLog = elapsedMs;
      const rss = samples.at(-1)?.rssMb ?? NaN;
      log(
        `  ${Math.round(elapsedMs / 1000)} s: sent ${sent}, ok ${counts.ok}, non-2xx ${counts.non2xx}, failed ${counts.failed}, B RSS ${rss.toFixed(1)} MB`,
      );
    },
  });
  clearInterval(sampler);
  sample();
  Object.assign(result, core());
  // Warm-up lasts one window; the warm window follows it; the end window closes the run.
  const window = Math.min(60, seconds * 0.1);
  const warmAt = window;
  const warmSamples = samples.filter((s) => s.atS >= warmAt && s.atS < warmAt + window);
  const endSamples = samples.filter((s) => s.atS > seconds - window);
  const warm = {
    rssMb: median((warmSamples.length ? warmSamples : samples.slice(0, 1)).map((s) => s.rssMb)),
    atS: warmAt,
  };
  const endRss = median((endSamples.length ? endSamples : samples.slice(-1)).map((s) => s.rssMb));
  const growth = endRss / warm.rssMb - 1;
  const { latencies: _latencies, ...rest } = result;
  return {
    seconds,
    rate,
    maxRps: max.summary.B.rps,
    result: rest,
    rss: { warmMb: warm.rssMb, warmAtS: warm.atS, endMb: endRss, growth, peakMb: samples.at(-1).peakMb },
    samples,
    pass: { errors: result.errors === 0, rssGrowth: growth < BAR.soakRssGrowth },
  };
}
