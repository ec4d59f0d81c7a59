import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { HaproxyGateway, startHaproxy } from '../support/haproxy-gateway.js';
import { describeRestarts, RestartFigures, restartOneAfterAnother } from '../support/rolling-restart.js';
import { ReplicaPair, startReplicaPair } from '../support/replica-pair.js';
import { startSteadyLoad } from '../support/steady-load.js';
import { newLogin } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

// Two replicas (real processes from dist) behind HAProxy with the README's recipe (ops/haproxy),
// one shared Redis of their own (it is paused below) and one DeepCall.
const SERVERS = ['replica1', 'replica2'];
// Above the recipe's detection time (inter 500 ms x fall 2 + timeout check 1 s = 2 s).
const DRAIN_DELAY_MS = 3000;

let pair: ReplicaPair;
let gateway: HaproxyGateway;

beforeAll(async () => {
  pair = await startReplicaPair(DRAIN_DELAY_MS);
  gateway = await startHaproxy(pair.addresses);
  await gateway.waitUntilUp(SERVERS);
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await pair?.stop();
});

describe('a rolling restart behind HAProxy', () => {
  it('restarts both replicas one after the other under mixed load with no failed request', async () => {
    const users = Array.from({ length: 4 }, (_, n) => newLogin(pair.sandbox, `rolling-${n}`));
    const load = startSteadyLoad(gateway.url, {
      authorizations: users.map((user) => user.authorization),
      maxRequests: 60_000,
      maxMs: 150_000,
    });
    let restarts: RestartFigures[];
    try {
      await waitFor(() => load.results.length >= 40, 30_000, 'traffic through the gateway');
      restarts = await restartOneAfterAnother(pair.replicas, pair.envOf, load, (index) =>
        gateway.waitUntilUp([SERVERS[index]]),
      );
      // The restarted replicas take traffic again.
      const after = load.results.length;
      await waitFor(() => load.results.length - after >= 40, 30_000, 'traffic after the restarts');
    } finally {
      await load.stop();
    }
    console.log(
      `rolling restart behind HAProxy: ${describeRestarts(restarts)}; ${load.results.length} requests in all`,
    );

    expect(load.results.filter((result) => !result.ok)).toEqual([]);
    // The load really ran through each restart: a restart with no traffic would prove nothing.
    for (const restart of restarts) expect(restart.requests).toBeGreaterThan(20);
    expect(new Set(load.results.map((result) => result.what))).toEqual(
      new Set(['GET /v1/groups', 'POST /v1/groups', 'PATCH /v1/groups/:id']),
    );
    // Each replica drained for the drain delay, then closed in about a second (the settle time and
    // the shutdown hooks; generous for a loaded machine), not at the grace period's end.
    for (const restart of restarts) expect(restart.drainMs).toBeGreaterThanOrEqual(DRAIN_DELAY_MS);
    for (const restart of restarts) expect(restart.drainMs).toBeLessThan(DRAIN_DELAY_MS + 1000 + 4000);
  }, 120_000);
});

describe('a Redis outage behind HAProxy', () => {
  it('keeps both replicas in rotation, serving Basic requests, while Redis is paused', async () => {
    const user = newLogin(pair.sandbox, 'outage');
    const list = () => fetch(`${gateway.url}/v1/groups`, { headers: { authorization: user.authorization } });
    expect((await list()).status).toBe(200);

    const statuses: number[] = [];
    const statesSeen = new Set<string>();
    pair.redis.freeze();
    try {
      // Several of HAProxy's check intervals (500 ms, two failures take a server out).
      const until = performance.now() + 5000;
      while (performance.now() < until) {
        const [response, states] = await Promise.all([list(), gateway.serverStates()]);
        statuses.push(response.status);
        for (const server of SERVERS) statesSeen.add(states[server]);
      }
      // The dependency report, for people, says what readiness does not.
      const dependencies = await fetch(`${pair.replicas[0].url}/health/dependencies`);
      expect(dependencies.status).toBe(503);
      expect(await dependencies.json()).toMatchObject({ status: 'error', error: { sessionStore: { status: 'down' } } });
    } finally {
      pair.redis.thaw();
    }
    expect([...statesSeen]).toEqual(['UP']);
    expect(statuses.length).toBeGreaterThan(2);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, 60_000);
});
