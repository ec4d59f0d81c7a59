// Scenario 8: a polling dashboard. One user has `tabs` tabs open, each refreshing the group list
// on the same timer, so every `periodMs` all tabs ask at nearly the same moment (spread over
// `spreadMs`). DeepCall is given a realistic answer time (`upstreamMs`, a sandbox delay on list):
// on a loopback sandbox that answers in microseconds nothing would overlap. The figure is
// upstream list calls per 1,000 reads, from the sandbox's own counters: 1,000 without
// coalescing (F, and the service before it), fewer when identical reads in flight share a call.
import { Pool } from 'undici';
import { callOk } from '../http.mjs';
import { upstreamStats } from '../stack.mjs';
import { round } from '../stats.mjs';

export async function dashboard(
  stack,
  fixtures,
  { tabs = 20, refreshes = 25, periodMs = 400, spreadMs = 50, upstreamMs = 50, names = ['F', 'B'] },
  log,
) {
  const headers = { authorization: `Bearer ${fixtures.hot.sessionId}` };
  await callOk(
    `${stack.sandboxUrl}/__sandbox/faults`,
    { method: 'POST', json: { op: 'list', mode: 'delay', delayMs: upstreamMs } },
    [201],
  );
  const summary = {};
  try {
    for (const name of names) {
      const server = stack.servers[name];
      const pool = new Pool(server.url, { connections: tabs, pipelining: 1, keepAliveTimeout: 60_000 });
      const before = (await upstreamStats(stack)).requests.list;
      let reads = 0;
      let errors = 0;
      const read = async () => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * spreadMs));
        try {
          const response = await pool.request({
            path: '/v1/groups',
            method: 'GET',
            headers,
            headersTimeout: 10_000,
            bodyTimeout: 10_000,
          });
          await response.body.dump();
          if (response.statusCode === 200) reads += 1;
          else errors += 1;
        } catch {
          errors += 1;
        }
      };
      for (let refresh = 0; refresh < refreshes; refresh += 1) {
        const tick = new Promise((resolve) => setTimeout(resolve, periodMs));
        await Promise.all(Array.from({ length: tabs }, read));
        await tick;
      }
      await pool.close();
      const calls = (await upstreamStats(stack)).requests.list - before;
      summary[name] = {
        reads,
        errors,
        upstreamCalls: calls,
        callsPer1000Reads: round((calls / Math.max(1, reads)) * 1000, 0),
      };
      log(
        `  ${name}: ${reads} reads, ${calls} upstream list calls (${summary[name].callsPer1000Reads} per 1,000 reads), errors ${errors}`,
      );
    }
  } finally {
    await callOk(`${stack.sandboxUrl}/__sandbox/faults`, { method: 'DELETE' }, [200, 204]);
  }
  return { tabs, refreshes, periodMs, spreadMs, upstreamMs, summary };
}
