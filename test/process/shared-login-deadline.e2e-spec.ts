import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newLogin } from '../support/test-app.js';
import { ReplicaPair, startReplicaPair } from '../support/replica-pair.js';
import { timed, waitFor } from '../support/wait-for.js';

// Two replicas (real processes) sharing a real Redis and the sandbox; the second one's requests
// have a short deadline. A login the first replica runs is made slow by the sandbox.
const SHORT_DEADLINE_MS = 1000;
const SLOW_LOGIN_MS = 4000;
let pair: ReplicaPair;

beforeAll(async () => {
  const login = { DEEPCALL_LOGIN_PATH: '/api/v2/User/login' };
  pair = await startReplicaPair(0, [login, { ...login, REQUEST_DEADLINE_MS: String(SHORT_DEADLINE_MS) }]);
  // Readiness does not look at Redis: both replicas must reach it, or a login would run without the lease.
  for (const replica of pair.replicas)
    await waitFor(async () => (await fetch(`${replica.url}/health/dependencies`)).ok, 10_000, 'Redis');
}, 60_000);
afterAll(() => pair?.stop());

describe('a request waiting for the login another replica runs', () => {
  it('ends at its own request deadline with 504, while the login goes on for the replica that runs it', async () => {
    const [first, second] = pair.replicas;
    const { authorization } = newLogin(pair.sandbox, 'waiting');
    pair.sandbox.control.setFault({ op: 'login', mode: 'delay', delayMs: SLOW_LOGIN_MS, times: 1 });
    const loginsBefore = pair.sandbox.control.stats().requests.login;
    const slow = timed(fetch(`${first.url}/v1/groups`, { headers: { authorization } }));
    // The first replica holds the login lease once its login has reached the sandbox.
    await waitFor(() => pair.sandbox.control.stats().requests.login > loginsBefore, 5000, 'the first login');
    const { response: waiting, ms: waitedMs } = await timed(
      fetch(`${second.url}/v1/groups`, { headers: { authorization } }),
    );
    const problem = (await waiting.json()) as Record<string, unknown>;
    console.log(`waiting for another replica's login: ${waiting.status} after ${Math.round(waitedMs)} ms`);
    expect(waiting.status).toBe(504);
    expect(waiting.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problem).toMatchObject({
      status: 504,
      instance: '/v1/groups',
      requestId: waiting.headers.get('x-request-id'),
    });
    expect(waitedMs).toBeGreaterThanOrEqual(SHORT_DEADLINE_MS - 50);
    expect(waitedMs).toBeLessThan(SHORT_DEADLINE_MS + 500);
    // The second replica did not log in itself, and the first one's login ends well.
    expect(pair.sandbox.control.stats().requests.login).toBe(loginsBefore + 1);
    const { response: served, ms: slowMs } = await slow;
    expect(served.status).toBe(200);
    expect(slowMs).toBeGreaterThanOrEqual(SLOW_LOGIN_MS);
    // Once that login is cached, the second replica serves the caller from it at once.
    const { response: cached } = await timed(fetch(`${second.url}/v1/groups`, { headers: { authorization } }));
    expect(cached.status).toBe(200);
    expect(pair.sandbox.control.stats().requests.login).toBe(loginsBefore + 1);
  }, 20_000);
});
