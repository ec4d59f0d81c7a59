// Scenario 4: one user with 10,000 groups (about 0.9 MB upstream, 0.8 MB answered). "Time" is the
// median latency of one request at a time (nothing else in flight); throughput at a few
// concurrent requests is reported beside it.
import { burst } from '../burst.mjs';
import { median, round } from '../stats.mjs';
import { BIG_GROUPS } from '../stack.mjs';
import { interleave } from './targets.mjs';

export async function bigList(stack, fixtures, { rounds, sequential, concurrent, concurrency = 4 }, log) {
  const names = ['F', 'B'];
  const headers = { authorization: `Bearer ${fixtures.big.sessionId}` };
  const requestFor = () => ({ path: '/v1/groups', headers });
  let checked = false;
  const check = (_i, status, text) => {
    if (checked) return undefined; // one full parse per round is enough to know the answer is whole
    checked = true;
    const length = JSON.parse(text).data.length;
    return length === BIG_GROUPS ? undefined : `expected ${BIG_GROUPS} groups, got ${length}`;
  };
  for (const name of names) await burst({ origin: stack.servers[name].url, count: 10, concurrency: 1, requestFor }); // warm-up
  const perRound = await interleave(
    rounds,
    names,
    async (name) => {
      checked = false;
      const origin = stack.servers[name].url;
      const one = await burst({ origin, count: sequential, concurrency: 1, requestFor, check });
      const many = await burst({ origin, count: concurrent, concurrency, requestFor });
      return {
        timeMs: one.latencyMs.p50,
        p99: one.latencyMs.p99,
        rate: many.rate,
        errors: one.errors + many.errors,
        firstError: one.firstError ?? many.firstError,
        summary: `one at a time p50 ${one.latencyMs.p50.toFixed(1)} ms (p99 ${one.latencyMs.p99.toFixed(1)}), ${concurrency} concurrent ${many.rate.toFixed(1)} req/s, errors ${one.errors + many.errors}`,
      };
    },
    log,
  );
  const summary = Object.fromEntries(
    names.map((name) => [
      name,
      {
        timeMs: median(perRound[name].map((r) => r.timeMs)),
        p99: median(perRound[name].map((r) => r.p99)),
        rate: median(perRound[name].map((r) => r.rate)),
        errors: perRound[name].reduce((s, r) => s + r.errors, 0),
        firstError: perRound[name].find((r) => r.firstError)?.firstError,
      },
    ]),
  );
  const timeRatios = perRound.B.map((b, i) => b.timeMs / perRound.F[i].timeMs);
  return {
    groups: BIG_GROUPS,
    rounds,
    sequential,
    concurrent,
    concurrency,
    summary,
    timeRatioBF: median(timeRatios),
    timeRatioRounds: timeRatios.map((x) => round(x, 3)),
  };
}
