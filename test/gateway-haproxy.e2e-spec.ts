import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { freePort, PrivateRedis, startPrivateRedis } from '../scripts/private-redis.mjs';
import { HaproxyGateway, startHaproxy } from './support/haproxy-gateway.js';
import { describeRestarts, RestartFigures, restartOneAfterAnother } from './support/rolling-restart.js';
import { ServiceProcess, spawnService } from './support/service-process.js';
import { startSteadyLoad } from './support/steady-load.js';
import { newLogin } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';
import { RunningSandbox, startSandbox } from '../src/sandbox/sandbox.server.js';

// Two replicas (real processes from dist) behind HAProxy with the README's recipe (ops/haproxy),
// one shared Redis of their own (it is paused below) and one DeepCall.
const SERVERS = ['replica1', 'replica2'];
// Above the recipe's detection time (inter 500 ms x fall 2 + timeout check 1 s = 2 s).
const DRAIN_DELAY_MS = 3000;

let redis: PrivateRedis;
let sandbox: RunningSandbox;
let env: Record<string, string>;
let ports: number[];
let replicas: ServiceProcess[];
let gateway: HaproxyGateway;

beforeAll(async () => {
  [redis, sandbox] = await Promise.all([startPrivateRedis(), startSandbox()]);
  env = {
    NODE_ENV: 'production',
    DEEPCALL_BASE_URL: sandbox.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `gateway-${randomUUID()}:`,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    TRUST_PROXY: '1',
    SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
    SHUTDOWN_GRACE_MS: '10000',
  };
  ports = [await freePort(), await freePort()];
  replicas = await Promise.all(ports.map((port) => spawnService({ ...env, PORT: String(port) })));
  gateway = await startHaproxy([`127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[1]}`]);
  await gateway.waitUntilUp(SERVERS);
}, 60_000);

afterAll(async () => {
  for (const replica of replicas ?? []) {
    if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill('SIGKILL');
    await replica.exited;
  }
  await gateway?.stop();
  await sandbox?.close();
  await redis?.stop();
});

describe('a rolling restart behind HAProxy', () => {
  it('restarts both replicas one after the other under mixed load with no failed request', async () => {
    const users = Array.from({ length: 4 }, (_, n) => newLogin(sandbox, `rolling-${n}`));
    const load = startSteadyLoad(gateway.url, {
      authorizations: users.map((user) => user.authorization),
      maxRequests: 60_000,
      maxMs: 150_000,
    });
    let restarts: RestartFigures[];
    try {
      await waitFor(() => load.results.length >= 40, 30_000, 'traffic through the gateway');
      restarts = await restartOneAfterAnother(
        replicas,
        (index) => ({ ...env, PORT: String(ports[index]) }),
        load,
        (index) => gateway.waitUntilUp([SERVERS[index]]),
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
    const user = newLogin(sandbox, 'outage');
    const list = () => fetch(`${gateway.url}/v1/groups`, { headers: { authorization: user.authorization } });
    expect((await list()).status).toBe(200);

    const statuses: number[] = [];
    const statesSeen = new Set<string>();
    redis.freeze();
    try {
      // Several of HAProxy's check intervals (500 ms, two failures take a server out).
      const until = performance.now() + 5000;
      while (performance.now() < until) {
        const [response, states] = await Promise.all([list(), gateway.serverStates()]);
        statuses.push(response.status);
        for (const server of SERVERS) statesSeen.add(states[server]);
      }
      // The dependency report, for people, says what readiness does not.
      const dependencies = await fetch(`${replicas[0].url}/health/dependencies`);
      expect(dependencies.status).toBe(503);
      expect(await dependencies.json()).toMatchObject({ status: 'error', error: { sessionStore: { status: 'down' } } });
    } finally {
      redis.thaw();
    }
    expect([...statesSeen]).toEqual(['UP']);
    expect(statuses.length).toBeGreaterThan(2);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, 60_000);
});
