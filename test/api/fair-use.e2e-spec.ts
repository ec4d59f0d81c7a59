import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { basic, newLogin, startTestApp, TestApp, upstreamCallsOf } from '../support/test-app.js';
import { startUpstreamStub } from '../support/upstream-stub.js';
import { waitFor } from '../support/wait-for.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.control.clearFaults());

/** Upstream calls so far: without DEEPCALL_LOGIN_PATH a login is checked with a list call. */
const upstreamCalls = () => upstreamCallsOf(sandbox);

describe('login throttling per account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ sandboxOf: sandbox });
  });
  afterAll(() => t.close());

  it('lets a brute force of 300 wrong logins reach DeepCall at most LOGIN_MAX_FAILURES times, while another account keeps working', async () => {
    const victim = newLogin(sandbox, 'victim');
    const other = newLogin(sandbox, 'other');
    await t.http.get('/v1/groups').set('authorization', other.authorization).expect(200); // its login cached
    const before = upstreamCalls();
    const attacks = Array.from({ length: 300 }, (_, n) =>
      t.http
        .post('/v1/sessions')
        .send({ userId: victim.userId, token: `wrong-${n}-${randomBytes(4).toString('hex')}` }),
    );
    // The other account meanwhile: a login and 7 lists, one upstream call each (distinct queries:
    // identical concurrent reads of one user would share a call).
    const otherLogin = t.http.post('/v1/sessions').send({ userId: other.userId, token: other.token });
    const otherLists = Array.from({ length: 7 }, (_, n) =>
      t.http.get(`/v1/groups?name=other${n}`).set('authorization', other.authorization),
    );
    const [attacked, login, lists] = await Promise.all([Promise.all(attacks), otherLogin, Promise.all(otherLists)]);

    const statuses = attacked.map((response) => response.status);
    const refused = statuses.filter((status) => status === 429).length;
    const victimUpstream = upstreamCalls() - before - 8;
    console.log(
      `brute force: ${attacked.length} attempts, ${victimUpstream} upstream calls, ${refused} × 429, ${statuses.filter((status) => status === 401).length} × 401`,
    );
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    expect(victimUpstream).toBeLessThanOrEqual(5);
    expect(refused).toBeGreaterThanOrEqual(295);
    expect(login.status).toBe(201);
    expect(lists.map((response) => response.status)).toEqual(Array(7).fill(200));

    const refusal = attacked.find((response) => response.status === 429)!;
    expect(refusal.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refusal.body).toMatchObject({
      status: 429,
      type: 'tag:groups-bff,2026:problem:rate-limited',
      instance: '/v1/sessions',
      requestId: refusal.headers['x-request-id'],
    });
    expect(Number(refusal.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refusal.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(refusal.headers['ratelimit-policy']).toBe('"login-account";q=5;w=900');
    expect(refusal.headers.ratelimit).toMatch(/^"login-account";r=0;t=\d+$/);

    // The lock holds for the account whatever the door: the right token, by POST or by Basic.
    const callsNow = upstreamCalls();
    await t.http.post('/v1/sessions').send({ userId: victim.userId, token: victim.token }).expect(429);
    await t.http.get('/v1/groups').set('authorization', victim.authorization).expect(429);
    expect(upstreamCalls()).toBe(callsNow);
    // Keys name the account only by an HMAC.
    for (const key of await t.keys()) expect(key).not.toContain(victim.userId);
  });

  it('counts wrong Basic credentials too', async () => {
    const victim = newLogin(sandbox, 'basic-victim');
    const before = upstreamCalls();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        t.http.get('/v1/groups').set('authorization', basic(victim.userId, `wrong-${n}`)),
      ),
    );
    expect(upstreamCalls() - before).toBeLessThanOrEqual(5);
    expect(answers.filter((response) => response.status === 429).length).toBeGreaterThanOrEqual(45);
    await t.http.post('/v1/sessions').send({ userId: victim.userId, token: victim.token }).expect(429);
  });

  it('lets one account open many sessions at once: the same credentials share one login', async () => {
    const user = newLogin(sandbox, 'many');
    // Twenty at once, four times the failure budget: each would otherwise hold a point in flight.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token })),
    );
    expect(answers.map((response) => response.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((response) => response.body.sessionId)).size).toBe(20);
  });

  it('remembers rejected credentials briefly: the same wrong token is not sent upstream again', async () => {
    const user = newLogin(sandbox, 'repeat');
    const before = upstreamCalls();
    const answers = [];
    for (let n = 0; n < 10; n += 1)
      answers.push(await t.http.post('/v1/sessions').send({ userId: user.userId, token: 'the-same-wrong-token' }));
    expect(answers.map((response) => response.status)).toEqual(Array(10).fill(401));
    expect(upstreamCalls() - before).toBe(1);
    // Repeats cost the account nothing: the owner still logs in.
    await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
  });
});

describe('the login window', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ sandboxOf: sandbox, env: { LOGIN_MAX_FAILURES: '2', LOGIN_FAILURE_WINDOW_SECONDS: '2' } });
  });
  afterAll(() => t.close());

  it('lets the owner back in once the window has passed', async () => {
    const user = newLogin(sandbox);
    await t.http.post('/v1/sessions').send({ userId: user.userId, token: 'wrong-1' }).expect(401);
    await t.http.post('/v1/sessions').send({ userId: user.userId, token: 'wrong-2' }).expect(401);
    const refused = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(2);
    await waitFor(
      async () => (await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token })).status === 201,
      6000,
      'the window to pass',
    );
  });
});

describe('login throttling across replicas and client addresses', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = {
      REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      TRUST_PROXY: '1',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '3',
    };
    [a, b] = await Promise.all([startTestApp({ sandboxOf: sandbox, env }), startTestApp({ sandboxOf: sandbox, env })]);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it("shares an account's failures between replicas through Redis", async () => {
    const user = newLogin(sandbox);
    for (let n = 0; n < 5; n += 1) {
      await (n % 2 === 0 ? a : b).http
        .post('/v1/sessions')
        .set('x-forwarded-for', `198.51.100.${n}`)
        .send({ userId: user.userId, token: `wrong-${n}` })
        .expect(401);
    }
    const before = upstreamCalls();
    await b.http
      .post('/v1/sessions')
      .set('x-forwarded-for', '198.51.100.9')
      .send({ userId: user.userId, token: user.token })
      .expect(429);
    await a.http
      .post('/v1/sessions')
      .set('x-forwarded-for', '198.51.100.9')
      .send({ userId: user.userId, token: user.token })
      .expect(429);
    expect(upstreamCalls()).toBe(before);
  });

  it('limits failures per client address across accounts, by the address the gateway reports', async () => {
    const attempt = (app: TestApp, address: string) =>
      app.http
        .post('/v1/sessions')
        .set('x-forwarded-for', address)
        .send({ userId: newLogin(sandbox).userId, token: 'wrong' });
    for (let n = 0; n < 3; n += 1) expect((await attempt(n % 2 === 0 ? a : b, '203.0.113.7')).status).toBe(401);
    const refused = await attempt(a, '203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-policy']).toBe('"login-address";q=3;w=900');
    expect((await attempt(b, '203.0.113.8')).status).toBe(401);
    // A good login from the refused address is refused too, but costs its account nothing.
    const user = newLogin(sandbox);
    await a.http
      .post('/v1/sessions')
      .set('x-forwarded-for', '203.0.113.7')
      .send({ userId: user.userId, token: user.token })
      .expect(429);
    await a.http
      .post('/v1/sessions')
      .set('x-forwarded-for', '203.0.113.9')
      .send({ userId: user.userId, token: user.token })
      .expect(201);
  });
});

describe('per-user concurrency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      sandboxOf: sandbox,
      env: { USER_MAX_CONCURRENT_CALLS: '2', USER_MAX_QUEUED_CALLS: '1' },
    });
  });
  afterAll(() => t.close());

  const metric = async (name: string) =>
    Number(new RegExp(`^${name} (\\d+)`, 'm').exec((await t.http.get('/metrics')).text)?.[1] ?? 0);

  it("queues a user's calls beyond the limit, refuses only beyond the queue with 429, and serves other users", async () => {
    const busy = newLogin(sandbox, 'busy');
    const calm = newLogin(sandbox, 'calm');
    await t.http.get('/v1/groups').set('authorization', busy.authorization).expect(200);
    await t.http.get('/v1/groups').set('authorization', calm.authorization).expect(200);
    sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: 1500, times: 2 });
    // Distinct queries: identical reads of one user in flight would share one call (read coalescing).
    const slow = [0, 1].map((i) =>
      t.http
        .get(`/v1/groups?name=slow${i}`)
        .set('authorization', busy.authorization)
        .then((response) => response),
    );
    await waitFor(() => sandbox.control.stats().inFlight >= 2, 5000, 'two slow lists in flight upstream');
    const waiting = t.http
      .get('/v1/groups?name=waiting')
      .set('authorization', busy.authorization)
      .then((response) => response);
    await waitFor(async () => (await metric('groups_bff_user_queue_calls')) === 1, 5000, 'the third call queued');
    const listsWhileQueued = sandbox.control.stats().requests.list;

    const started = performance.now();
    const refused = await t.http.get('/v1/groups').set('authorization', busy.authorization);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({
      type: 'tag:groups-bff,2026:problem:rate-limited',
      requestId: refused.headers['x-request-id'],
    });
    expect(await metric('groups_bff_user_queue_refused_total')).toBe(1);
    await t.http.get('/v1/groups').set('authorization', calm.authorization).expect(200);
    // The queued call has not reached DeepCall while both slots were taken.
    expect(sandbox.control.stats().requests.list).toBe(listsWhileQueued + 1); // calm's list only

    expect((await Promise.all(slow)).map((response) => response.status)).toEqual([200, 200]);
    expect((await waiting).status).toBe(200);
    expect(await metric('groups_bff_user_queue_calls')).toBe(0);
    await t.http.get('/v1/groups').set('authorization', busy.authorization).expect(200);
  });
});

describe("a dashboard's burst of one user's reads, with the default limits", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ sandboxOf: sandbox });
  });
  afterAll(() => t.close());

  it('50 concurrent cold Basic lists are all served, with one upstream login and one shared list', async () => {
    const user = newLogin(sandbox, 'dashboard');
    // A slow DeepCall (the login check, then the list): all 50 arrive while the first calls run.
    sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: 400, times: 2 });
    const before = upstreamCalls();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => t.http.get('/v1/groups').set('authorization', user.authorization)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
    // The login check (a list, without DEEPCALL_LOGIN_PATH) and the one list the 50 shared.
    expect(upstreamCalls() - before).toBe(2);
  });

  it('50 concurrent distinct lists of one user are all served: 8 upstream at a time, the rest waiting their turn', async () => {
    const user = newLogin(sandbox, 'distinct');
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: 100, times: 50 });
    let mostInFlight = 0;
    const answers = Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        t.http.get(`/v1/groups?name=panel${n}`).set('authorization', user.authorization),
      ),
    );
    const watching = setInterval(() => (mostInFlight = Math.max(mostInFlight, sandbox.control.stats().inFlight)), 5);
    try {
      expect((await answers).map((answer) => answer.status)).toEqual(Array(50).fill(200));
    } finally {
      clearInterval(watching);
    }
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(8);
  });
});

describe('a call waiting in its user queue', () => {
  it('is answered 504 within its own request deadline', async () => {
    const t = await startTestApp({
      sandboxOf: sandbox,
      env: { USER_MAX_CONCURRENT_CALLS: '1', REQUEST_DEADLINE_MS: '800', DEEPCALL_TIMEOUT_MS: '5000' },
    });
    try {
      const user = newLogin(sandbox);
      await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
      sandbox.control.setFault({ op: 'list', mode: 'hang' });
      const ahead = t.http.get('/v1/groups?name=ahead').set('authorization', user.authorization);
      const aheadAnswer = ahead.then((response) => response);
      await waitFor(() => sandbox.control.stats().inFlight >= 1, 5000, 'the first list in flight upstream');
      const started = performance.now();
      const queued = await t.http.get('/v1/groups?name=queued').set('authorization', user.authorization);
      expect(queued.status).toBe(504);
      expect(queued.body.type).toBe('tag:groups-bff,2026:problem:upstream-timeout');
      expect(performance.now() - started).toBeLessThan(800 + 700);
      expect((await aheadAnswer).status).toBe(504);
    } finally {
      sandbox.control.clearFaults();
      await t.close();
    }
  });
});

describe('the circuit breaker and abandoned requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      sandboxOf: sandbox,
      env: { DEEPCALL_BREAKER_THRESHOLD: '2', DEEPCALL_TIMEOUT_MS: '400' },
    });
  });
  afterAll(() => t.close());

  const timeouts = async () =>
    Number(
      /groups_bff_deepcall_request_duration_seconds_count\{operation="list",outcome="timeout"\} (\d+)/.exec(
        (await t.http.get('/metrics')).text,
      )?.[1] ?? 0,
    );

  it('does not count the upstream timeouts of requests their clients abandoned', async () => {
    const user = newLogin(sandbox);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    sandbox.control.setFault({ op: 'list', mode: 'hang' });
    // Distinct queries: a read still in flight upstream would be shared by the next identical one.
    for (let n = 0; n < 3; n += 1) {
      const listsBefore = sandbox.control.stats().requests.list ?? 0;
      const abandoned = t.http.get(`/v1/groups?name=abandoned${n}`).set('authorization', user.authorization);
      const outcome = abandoned.then(
        () => 'answered',
        (error: Error) => error.message,
      );
      // The client gives up once its call is held upstream, however slow the machine is.
      await waitFor(
        () => (sandbox.control.stats().requests.list ?? 0) > listsBefore,
        5000,
        'the list to reach DeepCall',
      );
      abandoned.abort();
      expect(await outcome).toBe('Aborted');
    }
    await waitFor(async () => (await timeouts()) >= 3, 5000, 'the abandoned calls to time out upstream');
    sandbox.control.clearFaults();
    // Closed: served, not a 503.
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);

    // The same timeouts with the client still waiting do open it.
    sandbox.control.setFault({ op: 'list', mode: 'hang' });
    for (let n = 0; n < 2; n += 1) await t.http.get('/v1/groups').set('authorization', user.authorization).expect(504);
    sandbox.control.clearFaults();
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(503);
  });
});

describe('the circuit breaker and answers too large to accept', () => {
  it('does not open on them: one huge account does not take DeepCall away from everyone', async () => {
    let answer: 'huge' | 'broken' | 'fine' = 'fine';
    const stub = await startUpstreamStub((_path, body) => {
      const loginCheck = typeof body.name === 'string' && body.name.startsWith('groups-bff:login-check');
      if (loginCheck || answer === 'fine') return { body: { status: 'success', code: 200, response: [] } };
      // Over the 32 MiB the service accepts from DeepCall.
      return answer === 'huge'
        ? { body: `{"status":"success","code":200,"response":"${'x'.repeat(33 * 1024 * 1024)}"}` }
        : { status: 500, body: 'broken' };
    });
    const t = await startTestApp({ env: { DEEPCALL_BASE_URL: stub.url, DEEPCALL_BREAKER_THRESHOLD: '2' } });
    try {
      const authorization = basic('huge-account', 'its-token');
      await t.http.get('/v1/groups').set('authorization', authorization).expect(200);
      answer = 'huge';
      for (let n = 0; n < 3; n += 1) await t.http.get('/v1/groups').set('authorization', authorization).expect(502);
      answer = 'fine';
      await t.http.get('/v1/groups').set('authorization', authorization).expect(200);
      // DeepCall's own faults still open it.
      answer = 'broken';
      for (let n = 0; n < 2; n += 1) await t.http.get('/v1/groups').set('authorization', authorization).expect(502);
      answer = 'fine';
      await t.http.get('/v1/groups').set('authorization', authorization).expect(503);
    } finally {
      await t.close();
      await stub.close();
    }
  });
});

describe('sessions per account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ sandboxOf: sandbox, env: { SESSION_MAX_PER_USER: '3' } });
  });
  afterAll(() => t.close());

  it('evicts the oldest session when a new one would exceed SESSION_MAX_PER_USER', async () => {
    const user = newLogin(sandbox);
    const sessions: string[] = [];
    for (let n = 0; n < 5; n += 1)
      sessions.push(
        (await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201)).body.sessionId,
      );
    const statuses = await Promise.all(
      sessions.map(
        async (sessionId) => (await t.http.get('/v1/groups').set('authorization', `Bearer ${sessionId}`)).status,
      ),
    );
    expect(statuses).toEqual([401, 401, 200, 200, 200]);
    expect((await t.keys()).filter((key) => key.includes(':session:'))).toHaveLength(3);
  });

  it('counts only live sessions: a logged-out one frees its place', async () => {
    const user = newLogin(sandbox);
    const login = async () =>
      (await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201)).body
        .sessionId as string;
    const [first, second, third] = [await login(), await login(), await login()];
    await t.http.delete('/v1/sessions/current').set('authorization', `Bearer ${second}`).expect(204);
    const fourth = await login();
    for (const sessionId of [first, third, fourth])
      await t.http.get('/v1/groups').set('authorization', `Bearer ${sessionId}`).expect(200);
  });
});
