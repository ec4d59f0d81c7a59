// Open-loop load at a fixed rate: request i is due at start + i/rate and is sent then whether or
// not earlier ones have answered; its latency is measured from that scheduled time, so a stall
// (GC pause, queueing) shows up in the latency instead of silently lowering the send rate
// (coordinated omission). Timers fire at ~1 ms granularity: every request due by then is sent
// in that tick, and `lateMs` reports how far behind schedule sends actually were.
// Bounded: exactly rate*seconds requests, each with a timeout, and a hard overall deadline.
import { Pool } from 'undici';
import { assertLoopback } from './http.mjs';
import { percentiles } from './stats.mjs';

/** `headerSets`: request i sends headerSets[i % length] (users take turns); else `headers`. */
export async function openLoop({
  origin,
  path,
  method = 'GET',
  headers,
  headerSets,
  body,
  rate,
  seconds,
  connections = 256,
  timeoutMs = 10_000,
  onProgress,
}) {
  assertLoopback(origin);
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const total = Math.max(1, Math.round(rate * seconds));
  const intervalMs = 1000 / rate;
  const latencies = new Float64Array(total).fill(NaN);
  const counts = { ok: 0, non2xx: 0, failed: 0 };
  let firstError;
  let maxLateMs = 0;
  let lateOver1ms = 0;
  let settled = 0;
  const start = performance.now() + 50;

  const finished = new Promise((resolve) => {
    const settle = () => {
      settled += 1;
      if (settled === total) resolve();
    };
    const fire = (i, due) => {
      pool
        .request({
          path,
          method,
          headers: headerSets ? headerSets[i % headerSets.length] : headers,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        })
        .then(async (response) => {
          for await (const _chunk of response.body); // the whole answer, as a client would read it
          latencies[i] = performance.now() - due;
          if (response.statusCode >= 200 && response.statusCode < 300) counts.ok += 1;
          else {
            counts.non2xx += 1;
            firstError ??= `HTTP ${response.statusCode}`;
          }
        })
        .catch((error) => {
          counts.failed += 1;
          firstError ??= error.message;
        })
        .finally(settle);
    };
    let next = 0;
    let lastProgress = start;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        const due = start + next * intervalMs;
        const late = now - due;
        if (late > maxLateMs) maxLateMs = late;
        if (late > 1) lateOver1ms += 1;
        fire(next, due);
        next += 1;
      }
      if (onProgress && now - lastProgress >= 1000) {
        lastProgress = now;
        onProgress({ sent: next, elapsedMs: now - start, counts });
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });

  // Hard bound: the schedule plus one request timeout plus slack.
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(resolve, seconds * 1000 + timeoutMs + 5000);
  });
  await Promise.race([finished, deadline]);
  clearTimeout(timer);
  await pool.destroy();
  const done = latencies.filter(Number.isFinite);
  return {
    rate,
    seconds,
    requests: total,
    ok: counts.ok,
    errors: counts.non2xx + counts.failed + (total - settled),
    firstError,
    latencyMs: percentiles(done, [50, 90, 99, 99.9]),
    latencies: done,
    sendLate: { maxMs: maxLateMs, over1msShare: lateOver1ms / total },
  };
}
