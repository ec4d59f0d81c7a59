import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.control.clearFaults());

describe('circuit breaker', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      sandboxOf: sandbox,
      env: { DEEPCALL_BREAKER_THRESHOLD: '3', DEEPCALL_BREAKER_COOLDOWN_MS: '400' },
    });
  });
  afterAll(() => t.close());

  it('opens after consecutive upstream faults, answers 503 fast without calling upstream, then recovers', async () => {
    const user = newLogin(sandbox);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    sandbox.control.setFault({ op: 'list', mode: 'http-status', status: 500 });
    for (let n = 0; n < 3; n += 1) await t.http.get('/v1/groups').set('authorization', user.authorization).expect(502);

    const callsBefore = sandbox.control.stats().requests.list;
    const started = performance.now();
    const open = await t.http.get('/v1/groups').set('authorization', user.authorization);
    const elapsed = performance.now() - started;
    expect(open.status).toBe(503);
    expect(open.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(open.headers['retry-after']).toBe('1');
    expect(sandbox.control.stats().requests.list).toBe(callsBefore);
    expect(elapsed).toBeLessThan(100);
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(
      /groups_bff_deepcall_request_duration_seconds_count\{operation="list",outcome="circuit-open"\} 1/,
    );
    expect(metrics).toMatch(/groups_bff_deepcall_circuit_state 1/);
    // The dependency report says so; readiness does not (every replica shares DeepCall).
    const dependencies = await t.http.get('/health/dependencies');
    expect(dependencies.status).toBe(503);
    expect(dependencies.body).toMatchObject({
      status: 'error',
      error: { deepcall: { status: 'down', circuit: 'open' } },
      info: { sessionStore: { status: 'up' } },
    });
    await t.http.get('/health/ready').expect(200);

    sandbox.control.clearFaults();
    await waitFor(
      async () => (await t.http.get('/v1/groups').set('authorization', user.authorization)).status === 200,
      3000,
      'the circuit to close again',
    );
  });
});

describe('retries under a failing upstream', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ sandboxOf: sandbox, env: { DEEPCALL_BREAKER_THRESHOLD: '1000' } });
  });
  afterAll(() => t.close());

  it('send DeepCall at most about 1.2 calls per client call', async () => {
    const user = newLogin(sandbox);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    sandbox.control.setFault({ op: 'list', mode: 'http-status', status: 503 });
    const before = sandbox.control.stats().requests.list;
    for (let n = 0; n < 50; n += 1) await t.http.get('/v1/groups').set('authorization', user.authorization).expect(502);
    const upstreamCalls = sandbox.control.stats().requests.list - before;
    expect(upstreamCalls).toBeGreaterThan(50);
    expect(upstreamCalls).toBeLessThanOrEqual(50 * 1.2 + 2);
  });

  it('a create whose connection resets is not retried: it may have landed', async () => {
    const user = newLogin(sandbox);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    sandbox.control.setFault({ op: 'add', mode: 'reset', times: 1 });
    const before = sandbox.control.stats().requests.add;
    await t.http.post('/v1/groups').set('authorization', user.authorization).send({ name: 'Once' }).expect(502);
    expect(sandbox.control.stats().requests.add - before).toBe(1);
  });
});

describe('a single transient fault', () => {
  // A fresh app: the retry budget of the app above is spent by design.
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ sandboxOf: sandbox });
  });
  afterAll(() => t.close());

  it('on a read is retried and served', async () => {
    const user = newLogin(sandbox);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    sandbox.control.setFault({ op: 'list', mode: 'reset', times: 1 });
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
  });
});
