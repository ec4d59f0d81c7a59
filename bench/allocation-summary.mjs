// What the allocation probe (bench/allocation-probe.mjs) saw in its window: bytes allocated per
// request by function and by module (V8's sampling heap profiler, collected objects included),
// GC pauses by kind, and the event loop delay.
import { moduleOf, shortUrl } from './profile-summary.mjs';
import { percentiles } from './stats.mjs';

export function summariseAllocations(probe, requests, top = 15) {
  const functions = new Map();
  const modules = new Map();
  let total = 0;
  const walk = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const key = url ? `${functionName || '(anonymous)'}  ${shortUrl(url)}:${lineNumber + 1}` : functionName || '(V8)';
      functions.set(key, (functions.get(key) ?? 0) + node.selfSize);
      const mod = url ? moduleOf(url) : '(V8 / native)';
      modules.set(mod, (modules.get(mod) ?? 0) + node.selfSize);
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(probe.profile.head);
  const rank = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, bytes]) => ({ key, bytesPerRequest: bytes / requests, share: bytes / total }));
  const kinds = {};
  for (const { kind, ms } of probe.pauses) (kinds[kind] ??= []).push(ms);
  const gc = Object.fromEntries(
    Object.entries(kinds).map(([kind, list]) => {
      const p = percentiles(list, [50, 99]);
      return [
        kind,
        { count: list.length, totalMs: list.reduce((s, x) => s + x, 0), p50: p.p50, p99: p.p99, max: p.max },
      ];
    }),
  );
  return {
    windowMs: probe.windowMs,
    requests,
    bytesPerRequest: total / requests,
    functions: rank(functions),
    modules: rank(modules),
    gc,
    loopDelayMs: probe.loopDelayMs,
  };
}

export function formatAllocations(s, top = s.functions.length) {
  const kb = (bytes) => `${(bytes / 1000).toFixed(1).padStart(6)} KB`;
  const lines = [
    `${s.requests} requests in ${(s.windowMs / 1000).toFixed(1)} s; allocated ${kb(s.bytesPerRequest).trim()} per request (every byte, collected or not)`,
    '',
    'top functions by bytes allocated per request:',
  ];
  s.functions
    .slice(0, top)
    .forEach((row, i) =>
      lines.push(
        `${String(i + 1).padStart(3)}. ${(row.share * 100).toFixed(1).padStart(5)}%  ${kb(row.bytesPerRequest)}  ${row.key}`,
      ),
    );
  lines.push('', 'bytes allocated per request by module:');
  s.modules
    .slice(0, top)
    .forEach((row) =>
      lines.push(`     ${(row.share * 100).toFixed(1).padStart(5)}%  ${kb(row.bytesPerRequest)}  ${row.key}`),
    );
  lines.push('', 'GC pauses in the window (perf_hooks gc entries, the pauses --trace-gc prints):');
  for (const [kind, g] of Object.entries(s.gc))
    lines.push(
      `     ${kind.padEnd(20)} ${String(g.count).padStart(5)} × , ${g.totalMs.toFixed(0).padStart(5)} ms in all, p50 ${g.p50.toFixed(2)} ms, p99 ${g.p99.toFixed(2)} ms, max ${g.max.toFixed(2)} ms`,
    );
  const d = s.loopDelayMs;
  lines.push(
    '',
    `event loop delay (monitorEventLoopDelay): p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms, max ${d.max.toFixed(1)} ms`,
  );
  return lines.join('\n');
}
