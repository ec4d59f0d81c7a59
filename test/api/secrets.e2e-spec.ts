import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { basic, startTestApp, TestApp } from '../support/test-app.js';

// Distinctive values that must never leave the service except towards DeepCall.
const USER_ID = `leak-check-user-${randomBytes(4).toString('hex')}`;
const TOKEN = `LEAK-CHECK-TOKEN-${randomBytes(12).toString('hex')}`;

let t: TestApp;
const sessionIds: string[] = [];
const responseBodies: string[] = [];

beforeAll(async () => {
  t = await startTestApp({ env: { DEEPCALL_TIMEOUT_MS: '300', LOG_LEVEL: 'trace' } });
  t.sandbox.control.addUser(USER_ID, TOKEN);
  const record = (response: { text: string }) => responseBodies.push(response.text);

  // Every path a credential travels: login, Bearer and Basic use, logout, failures of each kind.
  const created = await t.http.post('/v1/sessions').send({ userId: USER_ID, token: TOKEN }).expect(201);
  sessionIds.push(created.body.sessionId);
  const bearer = `Bearer ${created.body.sessionId}`;
  const group = await t.http.post('/v1/groups').set('authorization', bearer).send({ name: 'Secretive' }).expect(201);
  record(group);
  record(await t.http.get('/v1/groups').set('authorization', basic(USER_ID, TOKEN)).expect(200));
  record(
    await t.http
      .get('/v1/groups')
      .set('authorization', basic(USER_ID, `${TOKEN}-wrong`))
      .expect(401),
  );
  record(
    await t.http
      .post('/v1/sessions')
      .send({ userId: USER_ID, token: `${TOKEN}x` })
      .expect(401),
  );
  record(await t.http.post('/v1/sessions').send({ userId: USER_ID, token: TOKEN, extra: TOKEN }).expect(400));
  for (const fault of [
    { mode: 'hang' },
    { mode: 'reset' },
    { mode: 'non-json' },
    { mode: 'http-status', status: 500 },
    { mode: 'error-code', code: 1014 },
  ] as const) {
    t.sandbox.control.setFault({ op: '*', ...fault, times: 1 });
    record(await t.http.get(`/v1/groups/${group.body.id}`).set('authorization', bearer));
  }
  const second = await t.http.post('/v1/sessions').send({ userId: USER_ID, token: TOKEN }).expect(201);
  sessionIds.push(second.body.sessionId);
  record(
    await t.http.delete('/v1/sessions/current').set('authorization', `Bearer ${second.body.sessionId}`).expect(204),
  );
  record(await t.http.get('/v1/groups').set('authorization', `Bearer ${second.body.sessionId}`).expect(401));
});
afterAll(() => t.close());

describe('secrets', () => {
  it('the logs were captured (the check below is not vacuous)', () => {
    expect(t.logs.lines.length).toBeGreaterThan(20);
    expect(t.logs.text).toContain('GET /v1/groups');
  });

  it('never appear in a log line', () => {
    for (const secret of [TOKEN, ...sessionIds]) expect(t.logs.text).not.toContain(secret);
  });

  it('never appear in an answer other than the session id issued to its owner', () => {
    for (const body of responseBodies) {
      expect(body).not.toContain(TOKEN);
      for (const sessionId of sessionIds) expect(body).not.toContain(sessionId);
    }
  });

  it('never appear in a Redis key, nor the userId', async () => {
    const keys = await t.keys();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      for (const secret of [TOKEN, USER_ID, ...sessionIds]) expect(key).not.toContain(secret);
    }
  });

  it('never appear in plaintext in a Redis value', async () => {
    const keys = await t.keys();
    // Strings (records, counters) and the sorted sets indexing an account's sessions.
    const values = await Promise.all(
      keys.map(async (key) =>
        (await t.redis.type(key)) === 'zset'
          ? (await t.redis.zrange(key, 0, -1)).join('\n')
          : (await t.redis.getBuffer(key))!.toString('latin1'),
      ),
    );
    for (const text of values) {
      for (const secret of [TOKEN, USER_ID, ...sessionIds]) expect(text).not.toContain(secret);
    }
  });
});
