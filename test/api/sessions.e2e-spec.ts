import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basic, newLogin, startTestApp, TestApp } from '../support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  // A burst of one user's requests below: what is measured is the login they share.
  t = await startTestApp({
    env: { SESSION_TTL_SECONDS: '600', SESSION_MAX_AGE_SECONDS: '900', USER_MAX_CONCURRENT_CALLS: '100' },
  });
});
afterAll(() => t.close());

const WWW_AUTHENTICATE = /Bearer realm="groups-bff".*Basic realm="groups-bff"/;

/** The keys of sessions and cached logins (not the login-failure counters beside them). */
const sessionKeys = async () => (await t.keys()).filter((key) => /:(session|login):/.test(key));

describe('POST /v1/sessions', () => {
  it('checks the login upstream and issues a 256-bit session with its idle expiry', async () => {
    const user = newLogin(t.sandbox);
    const before = Date.now();
    const response = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
    expect(response.body.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.headers['cache-control']).toBe('no-store');
    const expiresAt = Date.parse(response.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000 + 1000);
  });

  it('answers 401 with WWW-Authenticate for credentials DeepCall rejects, and stores no session', async () => {
    const keysBefore = await sessionKeys();
    const response = await t.http.post('/v1/sessions').send({ userId: 'nobody', token: 'wrong' }).expect(401);
    expect(response.headers['www-authenticate']).toMatch(WWW_AUTHENTICATE);
    expect(response.body).toMatchObject({ status: 401, upstreamCode: 1014, instance: '/v1/sessions' });
    expect(await sessionKeys()).toEqual(keysBefore);
  });

  it.each([
    [{}],
    [{ userId: 'a' }],
    [{ userId: '', token: 't' }],
    [{ userId: 'a', token: 5 }],
    [{ userId: 'a', token: 't', extra: 1 }],
  ])('refuses %p with 400', async (body) => {
    await t.http.post('/v1/sessions').send(body).expect(400);
  });
});

describe('Bearer sessions', () => {
  it('work until revoked; revocation is immediate', async () => {
    const user = newLogin(t.sandbox);
    const { body } = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
    const bearer = `Bearer ${body.sessionId}`;
    await t.http.get('/v1/groups').set('authorization', bearer).expect(200);
    await t.http.delete('/v1/sessions/current').set('authorization', bearer).expect(204);
    const after = await t.http.get('/v1/groups').set('authorization', bearer).expect(401);
    expect(after.headers['www-authenticate']).toMatch(WWW_AUTHENTICATE);
    await t.http.delete('/v1/sessions/current').set('authorization', bearer).expect(401);
  });

  it('slide their idle expiry on use', async () => {
    const user = newLogin(t.sandbox);
    const keysBefore = new Set(await sessionKeys());
    const { body } = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
    const [key] = (await sessionKeys()).filter((candidate) => !keysBefore.has(candidate));
    expect(key).toContain(':session:');
    await t.redis.pexpire(key, 100_000);
    await t.http.get('/v1/groups').set('authorization', `Bearer ${body.sessionId}`).expect(200);
    const ttl = await t.redis.pttl(key);
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
  });

  it('stop working once their record expires, with a 401', async () => {
    const user = newLogin(t.sandbox);
    const keysBefore = new Set(await sessionKeys());
    const { body } = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
    const [key] = (await sessionKeys()).filter((candidate) => !keysBefore.has(candidate));
    await t.redis.del(key);
    const response = await t.http.get('/v1/groups').set('authorization', `Bearer ${body.sessionId}`).expect(401);
    expect(response.body.detail).toMatch(/unknown, expired or revoked/);
  });

  it.each(['Bearer', 'Bearer abc', 'Bearer ' + 'x'.repeat(43), 'Token abc'])('answers 401 for %p', async (header) => {
    const response = await t.http.get('/v1/groups').set('authorization', header).expect(401);
    expect(response.headers['www-authenticate']).toMatch(WWW_AUTHENTICATE);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers 401 with no Authorization header', async () => {
    const response = await t.http.get('/v1/groups').expect(401);
    expect(response.headers['www-authenticate']).toMatch(WWW_AUTHENTICATE);
  });
});

describe('Basic logins', () => {
  it('log in upstream once and reuse the cached session afterwards', async () => {
    const user = newLogin(t.sandbox);
    t.sandbox.control.resetStats();
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    const afterFirst = t.sandbox.control.stats().requests.list;
    expect(afterFirst).toBe(2); // the login check, then the list itself
    for (let i = 0; i < 3; i += 1) await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    expect(t.sandbox.control.stats().requests.list).toBe(afterFirst + 3);
  });

  it('share one upstream login across a burst of identical cold requests', async () => {
    const user = newLogin(t.sandbox);
    t.sandbox.control.resetStats();
    // Distinct queries: identical reads of one user in flight would share one list call (read coalescing).
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http.get(`/v1/groups?name=q${i}`).set('authorization', user.authorization).expect(200),
      ),
    );
    expect(t.sandbox.control.stats().requests.list).toBe(21);
  });

  it('with a wrong token are a 401 and cache no login', async () => {
    const user = newLogin(t.sandbox);
    const keysBefore = await sessionKeys();
    const response = await t.http.get('/v1/groups').set('authorization', basic(user.userId, 'wrong-token')).expect(401);
    expect(response.body.upstreamCode).toBe(1014);
    expect(await sessionKeys()).toEqual(keysBefore);
  });

  it('can be logged out, which drops the cached login', async () => {
    const user = newLogin(t.sandbox);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    await t.http.delete('/v1/sessions/current').set('authorization', user.authorization).expect(204);
    t.sandbox.control.resetStats();
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    expect(t.sandbox.control.stats().requests.list).toBe(2);
  });
});
