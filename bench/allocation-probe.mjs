// Preloaded (node --import) into the probed processes of scenario 11 only. SIGUSR2 opens the
// window: V8's sampling heap profiler (collected objects kept, so it counts every byte allocated,
// not only what survived), GC pauses by kind, and the event loop delay histogram. SIGTERM closes
// it, writes everything to ALLOCATION_PROBE_FILE and exits normally (before Nest's own hooks).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
const session = new Session();
session.connect();
const pauses = [];
const gc = new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    pauses.push({ kind: KINDS[entry.detail?.kind] ?? 'other', ms: entry.duration });
});
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
let openedAt;

process.once('SIGUSR2', () => {
  void session
    .post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
    .then(() => {
      gc.observe({ entryTypes: ['gc'] });
      loopDelay.enable();
      openedAt = performance.now();
      writeFileSync(`${process.env.ALLOCATION_PROBE_FILE}.open`, ''); // the bench waits for this
    });
});

process.once('SIGTERM', () => {
  const windowMs = performance.now() - openedAt;
  gc.disconnect();
  loopDelay.disable();
  void session.post('HeapProfiler.stopSampling').then(({ profile }) => {
    const ms = (ns) => ns / 1e6;
    writeFileSync(
      process.env.ALLOCATION_PROBE_FILE,
      JSON.stringify({
        windowMs,
        profile,
        pauses,
        loopDelayMs: {
          p50: ms(loopDelay.percentile(50)),
          p99: ms(loopDelay.percentile(99)),
          max: ms(loopDelay.max),
        },
      }),
    );
    process.exit(0);
  });
});
