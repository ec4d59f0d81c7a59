// `npm run bench -- tracing`: what tracing costs on the hot path, one user per connection. Four
// Bs on the server core, measured in interleaved rounds: the same build with tracing made inert,
// B as it starts (propagation only), and B exporting every span or 10 % of them to a stand-in
// collector. Ratios are per round, against the inert B of the same round.
import { median, round } from '../stats.mjs';
import { startOtlpSink } from '../otlp-sink.mjs';
import { stopTracked } from '../processes.mjs';
import { startService } from '../stack.mjs';
import { tracingVariants } from '../tracing-variants.mjs';
import { hotPath } from './hot-path.mjs';

/** The name each variant's B gets in the stack (B itself is the propagation-only one). */
const SERVER_NAMES = { untraced: 'B0', propagation: 'B', 'export 100 %': 'BX', 'export 10 %': 'BX10' };

export async function tracingCost(stack, fixtures, { rounds = 5, seconds = 8, warmSeconds = 5 }, log) {
  const sink = await startOtlpSink();
  const variants = tracingVariants(sink.url);
  const started = [];
  try {
    for (const [variant, name] of Object.entries(SERVER_NAMES)) {
      if (name === 'B') continue;
      stack.servers[name] = await startService(stack, { name, ...variants[variant] });
      started.push(name);
    }
    const names = Object.values(SERVER_NAMES);
    const measured = await hotPath(stack, fixtures, { rounds, seconds, warmSeconds, names }, log);
    const base = measured.perRound.B0;
    const summary = {};
    for (const [variant, name] of Object.entries(SERVER_NAMES)) {
      const perRound = measured.perRound[name];
      summary[variant] = {
        rps: measured.summary[name].rps,
        cpuUsPerRequest: measured.summary[name].cpuUsPerRequest,
        p99Ms: measured.summary[name].latencyMs.p99,
        errors: measured.summary[name].errors,
        rpsVsUntraced: round(median(perRound.map((r, i) => r.rps / base[i].rps)), 3),
        cpuUsVsUntraced: round(
          median(perRound.map((r, i) => r.serverCpuUsPerRequest - base[i].serverCpuUsPerRequest)),
          1,
        ),
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
