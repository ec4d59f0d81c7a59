// `npm run bench -- tracing`: what tracing costs on the hot path, one user per connection. Five
// Bs on the server core, measured in interleaved rounds: the same build with tracing made inert
// (twice: two identical processes, whose difference is the method's own noise), B as it starts
// (propagation only), and B exporting every span or 10 % of them to a stand-in collector. Ratios
// are per round, against the mean of the two inert Bs of the same round: many short rounds, so
// that the runs of a round are seconds apart and the machine's drift between them stays small.
import { median, percentiles, round } from '../stats.mjs';
import { startOtlpSink } from '../otlp-sink.mjs';
import { stopTracked } from '../processes.mjs';
import { startService } from '../stack.mjs';
import { tracingVariants } from '../tracing-variants.mjs';
import { hotPath } from './hot-path.mjs';

/**
 * The name each variant's B gets in the stack. All are started here, so none has served other
 * scenarios first (a full run's B has, 10k lists included, and its heap shows it).
 */
const SERVER_NAMES = {
  untraced: 'B0',
  'untraced, again': 'B0b',
  propagation: 'BP',
  'export 100 %': 'BX',
  'export 10 %': 'BX10',
};

export async function tracingCost(stack, fixtures, { rounds, seconds, warmSeconds }, log) {
  const sink = await startOtlpSink();
  const variants = tracingVariants(sink.url);
  const started = [];
  try {
    for (const [variant, name] of Object.entries(SERVER_NAMES)) {
      stack.servers[name] = await startService(stack, { name, ...variants[variant] });
      started.push(name);
    }
    const names = Object.values(SERVER_NAMES);
    const measured = await hotPath(stack, fixtures, { rounds, seconds, warmSeconds, names }, log);
    const figures = (r) => ({ rps: r.rps, cpuUs: r.serverCpuUsPerRequest });
    const [first, twin] = [measured.perRound.B0.map(figures), measured.perRound.B0b.map(figures)];
    // A round's baseline is the mean of its two inert Bs, so that neither process's own bias is
    // the yardstick; the second inert B alone is compared with the first (the method's noise).
    const base = first.map((r, i) => ({ rps: (r.rps + twin[i].rps) / 2, cpuUs: (r.cpuUs + twin[i].cpuUs) / 2 }));
    const summary = {};
    for (const [variant, name] of Object.entries(SERVER_NAMES)) {
      const perRound = measured.perRound[name].map(figures);
      const against = variant === 'untraced, again' ? first : base;
      const rpsRatios = perRound.map((r, i) => r.rps / against[i].rps);
      const cpuDeltas = perRound.map((r, i) => r.cpuUs - against[i].cpuUs);
      summary[variant] = {
        rps: measured.summary[name].rps,
        cpuUsPerRequest: measured.summary[name].cpuUsPerRequest,
        p99Ms: measured.summary[name].latencyMs.p99,
        errors: measured.summary[name].errors,
        rpsVsUntraced: round(median(rpsRatios), 3),
        rpsVsUntracedIqr: interquartile(rpsRatios, 3),
        cpuUsVsUntraced: round(median(cpuDeltas), 1),
        cpuUsVsUntracedIqr: interquartile(cpuDeltas, 1),
        neighbours: measured.summary[name].neighbours,
      };
    }
    return { rounds, seconds, exportsReceived: sink.received.requests, summary };
  } finally {
    for (const name of started) {
      await stopTracked(stack.servers[name].proc);
      delete stack.servers[name];
    }
    await sink.close();
  }
}

/** The middle half of the per-round figures: how far apart the rounds were, beside their median. */
function interquartile(values, digits) {
  const { p25, p75 } = percentiles(values, [25, 75]);
  return [round(p25, digits), round(p75, digits)];
}
