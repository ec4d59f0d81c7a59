// The tracing settings the bench compares, as what each changes in B. `untraced` is the same
// build with its tracing code made inert (bench/untraced.mjs); `untraced, again` is a second
// such process, whose difference from the first is the method's own (no tracing between them);
// `propagation` is B as it starts by default (W3C propagation, spans made, nothing exported).
import { join } from 'node:path';
import { BENCH_DIR } from './processes.mjs';

export function tracingVariants(collectorUrl) {
  const exporting = { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl };
  const inert = { nodeArgs: ['--import', join(BENCH_DIR, 'untraced.mjs')] };
  return {
    untraced: inert,
    'untraced, again': inert,
    propagation: {},
    'export 100 %': { env: exporting },
    'export 10 %': {
      env: { ...exporting, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    },
  };
}
