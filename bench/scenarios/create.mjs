// Scenario 2: POST /v1/groups (add upstream, then read the group back). A fixed number of creates
// per round, each round on a fresh user, so B and F make the sandbox do identical work (its
// read-back scans the user's groups, which grow with every create).
import { burst } from '../burst.mjs';
import { median, round } from '../stats.mjs';
import { addUser, createSession } from '../stack.mjs';
import { interleave } from './targets.mjs';

export async function creates(stack, { rounds, count, concurrency = 32 }, log) {
  const names = ['F', 'B'];
  const perRound = await interleave(
    rounds,
    names,
    async (name, r) => {
      const userId = `create-${name}-${r}`;
      await addUser(stack, userId, 'create-token');
      const headers = {
        authorization: `Bearer ${await createSession(stack, userId, 'create-token')}`,
        'content-type': 'application/json',
      };
      const result = await burst({
        origin: stack.servers[name].url,
        count,
        concurrency,
        requestFor: (i) => ({
          method: 'POST',
          path: '/v1/groups',
          headers,
          body: JSON.stringify({ name: `Bench ${r}-${i}` }),
        }),
        check: (i, status, text) =>
          status === 201 && JSON.parse(text).name === `Bench ${r}-${i}`
            ? undefined
            : `unexpected ${status} ${text.slice(0, 120)}`,
      });
      return {
        ...result,
        summary: `${Math.round(result.rate)} creates/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms, errors ${result.errors}${result.firstError ? ` (${result.firstError})` : ''}`,
      };
    },
    log,
  );
  const summary = Object.fromEntries(names.map((name) => [name, summarise(perRound[name])]));
  const ratios = perRound.B.map((b, i) => b.rate / perRound.F[i].rate);
  return { count, concurrency, rounds, summary, ratioBF: median(ratios), ratioRounds: ratios.map((x) => round(x, 3)) };
}

export function summarise(results) {
  return {
    rate: median(results.map((r) => r.rate)),
    p50: median(results.map((r) => r.latencyMs.p50)),
    p99: median(results.map((r) => r.latencyMs.p99)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
  };
}
