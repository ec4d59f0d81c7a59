import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from './support/test-app.js';
import { timed, waitFor } from './support/wait-for.js';
import { PrivateRedis, startPrivateRedis } from '../scripts/private-redis.mjs';

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
