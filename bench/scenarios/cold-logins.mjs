// Scenario 3: a burst of cold Basic logins. Every request is a different user presenting Basic
// credentials for the first time: Redis miss, one upstream login check, seal + SET the record,
// then the list itself. The sandbox's counters confirm the work: 2 upstream calls per login.
import { burst } from '../burst.mjs';
import { basic } from '../http.mjs';
import { median, round } from '../stats.mjs';
import { addUsers, upstreamStats } from '../stack.mjs';
import { summarise } from './create.mjs';
import { interleave } from './targets.mjs';

export async function coldLogins(stack, { rounds, count, concurrency = 50 }, log) {
  const names = ['F', 'B'];
  const perRound = await interleave(
    rounds,
    names,
    async (name, r) => {
      const users = Array.from({ length: count }, (_, i) => ({
        userId: `cold-${name}-${r}-${i}`,
        token: `cold-token-${i}`,
      }));
      await addUsers(stack, users);
      const authorizations = users.map((u) => basic(u.userId, u.token));
      const before = await upstreamStats(stack);
      const result = await burst({
        origin: stack.servers[name].url,
        count,
        concurrency,
        requestFor: (i) => ({ path: '/v1/groups', headers: { authorization: authorizations[i] } }),
        check: (i, status, text) =>
          status === 200 && text === '{"data":[],"next":null}'
            ? undefined
            : `unexpected ${status} ${text.slice(0, 120)}`,
      });
      const after = await upstreamStats(stack);
      const upstreamCallsPerLogin = (after.requests.list - before.requests.list) / count;
      return {
        ...result,
        upstreamCallsPerLogin,
        summary: `${Math.round(result.rate)} logins/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms, upstream calls/login ${upstreamCallsPerLogin}, errors ${result.errors}${result.firstError ? ` (${result.firstError})` : ''}`,
      };
    },
    log,
  );
  const summary = Object.fromEntries(
    names.map((name) => [
      name,
      {
        ...summarise(perRound[name]),
        upstreamCallsPerLogin: median(perRound[name].map((x) => x.upstreamCallsPerLogin)),
      },
    ]),
  );
  const ratios = perRound.B.map((b, i) => b.rate / perRound.F[i].rate);
  return { count, concurrency, rounds, summary, ratioBF: median(ratios), ratioRounds: ratios.map((x) => round(x, 3)) };
}
