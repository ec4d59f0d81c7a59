// `npm run bench -- tracing`: what tracing costs on the hot path, one user per connection. Four
// Bs on the server core, measured in interleaved rounds: the same build with tracing made inert,
// B as it starts (propagation only), and B exporting every span or 10 % of them to a stand-in
// collector. Ratios are per round, against the inert B of the same round: many short rounds, so
// that the four runs of a round are seconds apart and the machine's drift between them stays small.
import { median, percentiles, round } from '../stats.mjs';
import { startOtlpSink } from '../otlp-sink.mjs';
import { stopTracked } from '../processes.mjs';
import { startService } from '../stack.mjs';
import { tracingVariants } from '../tracing-variants.mjs';
import { hotPath } from './hot-path.mjs';

/**
 * The name each variant's B gets in the stack. All four are started here, so none has served
 * other scenarios first (a full run's B has, 10k lists included, and its heap shows it).
 */
const SERVER_NAMES = { untraced: 'B0', propagation: 'BP', 'export 100 %': 'BX', 'export 10 %': 'BX10' };

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
    const base = measured.perRound.B0;
    const summary = {};
    for (const [variant, name] of Object.entries(SERVER_NAMES)) {
      const perRound = measured.perRound[name];
      const rpsRatios = perRound.map((r, i) => r.rps / base[i].rps);
      const cpuDeltas = perRound.map((r, i) => r.serverCpuUsPerRequest - base[i].serverCpuUsPerRequest);
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
