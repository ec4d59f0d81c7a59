import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { basic, newLogin, startTestApp, TestApp, upstreamCallsOf } from '../support/test-app.js';
import { timed, waitFor } from '../support/wait-for.js';
import { PrivateRedis, startPrivateRedis } from '../../scripts/private-redis.mjs';

// A Redis of this test's own, frozen (SIGSTOP) and killed under a running service.
let redis: PrivateRedis;
let t: TestApp;
let bearer: string;
let user: ReturnType<typeof newLogin>;

beforeAll(async () => {
  redis = await startPrivateRedis();
  t = await startTestApp({ env: { REDIS_URL: redis.url } });
  user = newLogin(t.sandbox);
  const { body } = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
  bearer = `Bearer ${body.sessionId}`;
});
afterAll(async () => {
  await t.close();
  await redis.stop();
});

// The shared dependencies as the dependency report sees them; readiness ignores them.
const storeUp = async () => (await t.http.get('/health/dependencies')).status === 200;

describe('Redis frozen', () => {
  it('Bearer requests answer 503 problem+json with Retry-After within about a second', async () => {
    redis.freeze();
    try {
      const { response, ms } = await timed(t.http.get('/v1/groups').set('authorization', bearer));
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['retry-after']).toBe('1');
      expect(ms).toBeLessThan(1500);
      // Basic requests are served with the credentials they carry.
      await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
      // The dependency report says the store is down; neither probe does: every replica shares
      // this Redis, and failing readiness everywhere would refuse the Basic callers above too.
      const dependencies = await t.http.get('/health/dependencies');
      expect(dependencies.status).toBe(503);
      expect(dependencies.body).toMatchObject({
        status: 'error',
        error: { sessionStore: { status: 'down', kind: 'redis' } },
        info: { deepcall: { status: 'up' } },
      });
      await t.http.get('/health/ready').expect(200);
      await t.http.get('/health/live').expect(200);
    } finally {
      redis.thaw();
    }
    await waitFor(storeUp, 10_000, 'the store to be reported up after thaw');
    await t.http.get('/v1/groups').set('authorization', bearer).expect(200);
  });
});

/** Log lines with this message so far. */
const linesSaying = (message: string) => t.logs.entries().filter((entry) => entry.msg === message).length;
const DOWN = 'Redis did not answer; store calls fail at once until it answers a PING again';
const UP = 'Redis answers again; store calls resume';

const metric = async (name: string) => {
  const { text } = await t.http.get('/metrics').expect(200);
  return text.split('\n').filter((line) => line.startsWith(name));
};

describe('Redis frozen: one store budget per request, then the store is skipped', () => {
  it('answers a Basic caller within 1.5 s of the freeze, the next one at once, and uses the store again after it thaws', async () => {
    const caller = newLogin(t.sandbox, 'basic');
    await t.http.get('/v1/groups').set('authorization', caller.authorization).expect(200); // its login cached
    const [downBefore, upBefore] = [linesSaying(DOWN), linesSaying(UP)];
    const frozenAt = performance.now();
    redis.freeze();
    try {
      await t.http.get('/v1/groups').set('authorization', caller.authorization).expect(200);
      const firstMs = performance.now() - frozenAt;
      const { response, ms: secondMs } = await timed(
        t.http.get('/v1/groups').set('authorization', caller.authorization),
      );
      expect(response.status).toBe(200);
      // A cold login too, and a Bearer session's 503: at once, the store is known down.
      const cold = newLogin(t.sandbox, 'cold');
      const { response: coldAnswer, ms: coldMs } = await timed(
        t.http.get('/v1/groups').set('authorization', cold.authorization),
      );
      const { response: bearerAnswer, ms: bearerMs } = await timed(
        t.http.get('/v1/groups').set('authorization', bearer),
      );
      console.log(
        `frozen Redis: first Basic ${Math.round(firstMs)} ms after the freeze, then ${Math.round(secondMs)} ms, cold ${Math.round(coldMs)} ms, Bearer 503 ${Math.round(bearerMs)} ms`,
      );
      expect(firstMs).toBeLessThan(1500);
      expect(secondMs).toBeLessThan(300);
      expect(coldAnswer.status).toBe(200);
      expect(coldMs).toBeLessThan(300);
      expect(bearerAnswer.status).toBe(503);
      expect(bearerMs).toBeLessThan(300);
      expect(await metric('groups_bff_session_store_known_down')).toContain('groups_bff_session_store_known_down 1');
      const skipped = await metric('groups_bff_session_store_skipped_total{reason="known-down"}');
      expect(Number(skipped[0]?.split(' ')[1])).toBeGreaterThan(0);
      // One line for the outage, not one per request.
      await waitFor(() => linesSaying(DOWN) === downBefore + 1, 2000, 'the line saying Redis is down');
    } finally {
      redis.thaw();
    }
    await waitFor(storeUp, 10_000, 'the store to be reported up after thaw');
    await t.http.get('/v1/groups').set('authorization', bearer).expect(200);
    expect(await metric('groups_bff_session_store_known_down')).toContain('groups_bff_session_store_known_down 0');
    await waitFor(() => linesSaying(UP) === upBefore + 1, 2000, 'the line saying Redis is back');
    expect(linesSaying(DOWN)).toBe(downBefore + 1);
  });

  it('keeps login throttling while the shared counters are unreachable: each replica counts in memory', async () => {
    const victim = newLogin(t.sandbox, 'victim');
    const attempts = 16; // over LOGIN_MAX_FAILURES (5), by Basic and by POST /v1/sessions, each with another wrong token
    redis.freeze();
    try {
      const before = upstreamCallsOf(t.sandbox);
      const answers = await Promise.all(
        Array.from({ length: attempts }, (_, n) => {
          const token = `wrong-${n}-${randomBytes(4).toString('hex')}`;
          return n % 2 === 0
            ? t.http.get('/v1/groups').set('authorization', basic(victim.userId, token))
            : t.http.post('/v1/sessions').send({ userId: victim.userId, token });
        }),
      );
      const statuses = answers.map((answer) => answer.status);
      const upstream = upstreamCallsOf(t.sandbox) - before;
      console.log(
        `brute force, frozen Redis: ${attempts} attempts, ${upstream} DeepCall calls, ${statuses.filter((status) => status === 429).length} × 429`,
      );
      expect(upstream).toBeLessThanOrEqual(5);
      expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(attempts - 5);
      expect(answers.find((answer) => answer.status === 429)!.headers['retry-after']).toMatch(/^\d+$/);
      // The account stays locked whatever the door, without calling DeepCall.
      const callsNow = upstreamCallsOf(t.sandbox);
      await t.http.get('/v1/groups').set('authorization', victim.authorization).expect(429);
      await t.http.post('/v1/sessions').send({ userId: victim.userId, token: victim.token }).expect(429);
      expect(upstreamCallsOf(t.sandbox)).toBe(callsNow);
    } finally {
      redis.thaw();
    }
    await waitFor(storeUp, 10_000, 'the store to be reported up after thaw');
  });
});

describe('Redis killed and restarted', () => {
  it('fails fast while down and recovers without a restart of the service', async () => {
    await redis.stop();
    await waitFor(async () => !(await storeUp()), 5000, 'the store to be reported down');
    await t.http.get('/health/ready').expect(200);
    const { response, ms } = await timed(t.http.get('/v1/groups').set('authorization', bearer));
    expect(response.status).toBe(503);
    expect(ms).toBeLessThan(1500);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    await t.http.get('/health/live').expect(200);

    redis = await startPrivateRedis(redis.port);
    await waitFor(storeUp, 10_000, 'the store to be reported up after restart');
    // The killed Redis kept nothing: the old session is gone, a new login works and is cached.
    await t.http.get('/v1/groups').set('authorization', bearer).expect(401);
    const { body } = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
    await t.http.get('/v1/groups').set('authorization', `Bearer ${body.sessionId}`).expect(200);
  });
});
