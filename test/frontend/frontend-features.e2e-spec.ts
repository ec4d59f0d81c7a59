import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp, upstreamCallsOf } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const upstreamCalls = () => upstreamCallsOf(t.sandbox);

describe('GET /v1/sessions/current (who am I)', () => {
  it('names the account and the expiries of a Bearer session', async () => {
    const login = newLogin(t.sandbox);
    const session = await t.http.post('/v1/sessions').send({ userId: login.userId, token: login.token }).expect(201);
    const before = Date.now();
    const current = await t.http
      .get('/v1/sessions/current')
      .set('authorization', `Bearer ${session.body.sessionId}`)
      .expect(200);
    expect(current.body).toEqual({
      userId: login.userId,
      expiresAt: expect.any(String),
      absoluteExpiresAt: expect.any(String),
    });
    expect(Date.parse(current.body.expiresAt)).toBeGreaterThanOrEqual(Date.parse(session.body.expiresAt));
    expect(Date.parse(current.body.absoluteExpiresAt)).toBeGreaterThan(before);
    expect(current.headers['cache-control']).toBe('no-store');
  });

  it('answers nulls for Basic credentials, and 401 without credentials', async () => {
    const login = newLogin(t.sandbox);
    await t.http
      .get('/v1/sessions/current')
      .set('authorization', login.authorization)
      .expect(200, { userId: login.userId, expiresAt: null, absoluteExpiresAt: null });
    await t.http.get('/v1/sessions/current').expect(401);
  });
});

describe('keyset paging on GET /v1/groups', () => {
  it('pages by id with limit and cursor, neither repeating nor skipping when groups change between pages', async () => {
    const login = newLogin(t.sandbox);
    const auth = login.authorization;
    const ids: number[] = [];
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5'])
      ids.push((await t.http.post('/v1/groups').set('authorization', auth).send({ name }).expect(201)).body.id);

    const first = await t.http.get('/v1/groups').query({ limit: 2 }).set('authorization', auth).expect(200);
    expect(first.body.data.map((g: { id: number }) => g.id)).toEqual(ids.slice(0, 2));
    expect(first.body.next).toEqual(expect.any(String));
    // Between pages: the first group goes, a new one comes; the rest of the list is unaffected.
    await t.http.delete(`/v1/groups/${ids[0]}`).set('authorization', auth).expect(204);
    const added = (await t.http.post('/v1/groups').set('authorization', auth).send({ name: 'p6' }).expect(201)).body.id;
    const second = await t.http
      .get('/v1/groups')
      .query({ limit: 2, cursor: first.body.next })
      .set('authorization', auth)
      .expect(200);
    expect(second.body.data.map((g: { id: number }) => g.id)).toEqual(ids.slice(2, 4));
    const last = await t.http
      .get('/v1/groups')
      .query({ limit: 2, cursor: second.body.next })
      .set('authorization', auth)
      .expect(200);
    expect(last.body).toEqual({
      data: [expect.objectContaining({ id: ids[4] }), expect.objectContaining({ id: added })],
      next: null,
    });

    const whole = await t.http.get('/v1/groups').set('authorization', auth).expect(200);
    expect(whole.body.next).toBeNull();
    expect(whole.body.data.map((g: { id: number }) => g.id)).toEqual([...ids.slice(1), added]);
  });

  it('refuses a malformed cursor and one from other filters before DeepCall is asked', async () => {
    const login = newLogin(t.sandbox);
    for (const name of ['a1', 'a2'])
      await t.http.post('/v1/groups').set('authorization', login.authorization).send({ name }).expect(201);
    const { next } = (
      await t.http.get('/v1/groups').query({ limit: 1 }).set('authorization', login.authorization).expect(200)
    ).body;
    const before = upstreamCalls();
    for (const query of [
      { cursor: 'not-a-cursor' },
      { cursor: `${next}x` },
      { cursor: next, name: 'a' },
      { cursor: next, quick: 'true' },
      { limit: '0' },
      { limit: '1001' },
      { limit: 'ten' },
    ]) {
      const response = await t.http
        .get('/v1/groups')
        .query(query)
        .set('authorization', login.authorization)
        .expect(400);
      expect(response.body.errors).toEqual([
        { field: expect.stringMatching(/^(cursor|limit)$/), message: expect.any(String) },
      ]);
    }
    expect(upstreamCalls()).toBe(before);
  });
});

describe('messages for missing and wrong-type fields', () => {
  it('says a field is required when it is missing, and must be a string when it is not one', async () => {
    const missing = await t.http.post('/v1/sessions').send({}).expect(400);
    expect(missing.body.errors).toEqual([
      { field: 'userId', message: 'userId is required' },
      { field: 'token', message: 'token is required' },
    ]);
    const wrongType = await t.http.post('/v1/sessions').send({ userId: 5, token: 'x' }).expect(400);
    expect(wrongType.body.errors).toEqual([{ field: 'userId', message: 'userId must be a string' }]);
    const login = newLogin(t.sandbox);
    const noName = await t.http.post('/v1/groups').set('authorization', login.authorization).send({}).expect(400);
    expect(noName.body.errors).toEqual([{ field: 'name', message: 'name is required' }]);
  });
});
