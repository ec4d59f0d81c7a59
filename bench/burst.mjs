// A fixed number of requests, each possibly different (distinct logins, unique names), at a fixed
// concurrency: closed loop on an undici Pool. Reports wall time, rate and latency percentiles.
// Bounded: exactly `count` requests, and everything gives up at `deadlineMs`.
import { Pool } from 'undici';
import { assertLoopback } from './http.mjs';
import { percentiles } from './stats.mjs';

export async function burst({
  origin,
  count,
  concurrency,
  requestFor,
  check,
  timeoutMs = 10_000,
  deadlineMs = 120_000,
}) {
  assertLoopback(origin);
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies = new Float64Array(count).fill(NaN);
  let next = 0;
  let errors = 0;
  let firstError;
  const startedAt = performance.now();
  const worker = async () => {
    while (next < count && performance.now() - startedAt < deadlineMs) {
      const i = next++;
      const { method = 'GET', path, headers, body } = requestFor(i);
      const sent = performance.now();
      try {
        const response = await pool.request({
          method,
          path,
          headers,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const text = await response.body.text();
        latencies[i] = performance.now() - sent;
        const problem =
          response.statusCode >= 400
            ? `HTTP ${response.statusCode}: ${text.slice(0, 200)}`
            : check?.(i, response.statusCode, text);
        if (problem) {
          errors += 1;
          firstError ??= problem;
        }
      } catch (error) {
        errors += 1;
        firstError ??= error.message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - startedAt;
  await pool.close();
  const done = latencies.filter(Number.isFinite);
  errors += count - Math.min(next, count); // never sent: the deadline came first
  return {
    count,
    completed: done.length,
    errors,
    firstError,
    wallMs,
    rate: (done.length / wallMs) * 1000,
    latencyMs: percentiles(done, [50, 99]),
  };
}
