import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { newLogin, startTestApp, TestApp } from './support/test-app.js';

let t: TestApp;
let user: ReturnType<typeof newLogin>;

beforeAll(async () => {
  t = await startTestApp({ env: { DEEPCALL_BREAKER_THRESHOLD: '1000' } });
});
afterAll(() => t.close());
beforeEach(async () => {
  user = newLogin(t.sandbox);
  await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
});
afterEach(() => t.sandbox.control.clearFaults());

const create = (key: string, name: string, authorization = user.authorization) =>
  t.http.post('/v1/groups').set('authorization', authorization).set('idempotency-key', key).send({ name });

describe('Idempotency-Key on POST /v1/groups', () => {
  it('replays the first answer for the same key and body, and creates nothing more', async () => {
    const key = randomUUID();
    const first = await create(key, 'Once only').expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await create(key, 'Once only').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(1);
  });

  it('treats names equal after trimming as the same body', async () => {
    const key = randomUUID();
    await create(key, 'Trimmed').expect(201);
    await create(key, '  Trimmed  ').expect(201);
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(1);
  });

  it('answers 422 for the same key with another body', async () => {
    const key = randomUUID();
    await create(key, 'First body').expect(201);
    const response = await create(key, 'Second body').expect(422);
    expect(response.body.type).toBe('tag:groups-bff,2026:problem:idempotency-key-reused');
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(1);
  });

  it('a double submit against a slow upstream creates one group: the second gets 409', async () => {
    t.sandbox.control.setFault({ op: 'add', mode: 'delay', delayMs: 300 });
    const key = randomUUID();
    const answers = await Promise.all([create(key, 'Double submit'), create(key, 'Double submit')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const conflict = answers.find((answer) => answer.status === 409)!;
    expect(conflict.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(conflict.headers['retry-after']).toBe('1');
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(1);
    // Once the first has finished, the same request is a replay.
    const later = await create(key, 'Double submit').expect(201);
    expect(later.headers['idempotent-replayed']).toBe('true');
  });

  it('a first attempt that failed upstream (5xx) leaves the key free', async () => {
    const key = randomUUID();
    t.sandbox.control.setFault({ op: 'add', mode: 'http-status', status: 500, times: 1 });
    await create(key, 'Retry me').expect(502);
    const retried = await create(key, 'Retry me').expect(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(1);
  });

  it('a first attempt that timed out leaves the key free', async () => {
    const slow = await startTestApp({ sandboxOf: t.sandbox, env: { DEEPCALL_TIMEOUT_MS: '200' } });
    try {
      const key = randomUUID();
      t.sandbox.control.setFault({ op: 'add', mode: 'hang', times: 1 });
      await slow.http.post('/v1/groups').set('authorization', user.authorization).set('idempotency-key', key).send({ name: 'Late' }).expect(504);
      await slow.http.post('/v1/groups').set('authorization', user.authorization).set('idempotency-key', key).send({ name: 'Late' }).expect(201);
    } finally {
      await slow.close();
    }
  });

  it('scopes keys to the user', async () => {
    const key = randomUUID();
    const other = newLogin(t.sandbox);
    await create(key, 'Mine').expect(201);
    const theirs = await create(key, 'Mine', other.authorization).expect(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(t.sandbox.control.groupsOf(other.userId)).toHaveLength(1);
  });

  it('is the same user whether the login comes as Basic or as a Bearer session', async () => {
    const key = randomUUID();
    await create(key, 'Either way').expect(201);
    const { body } = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
    const replay = await create(key, 'Either way', `Bearer ${body.sessionId}`).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('keeps the key out of Redis keys', async () => {
    const key = `distinctive-key-${randomUUID()}`;
    await create(key, 'Hidden key').expect(201);
    expect((await t.keys()).some((storeKey) => storeKey.includes(key) || storeKey.includes(user.userId))).toBe(false);
  });

  it.each(['', '"unterminated', 'x'.repeat(256), 'tab\tkey', 'quote"inside'])('refuses the malformed key %p with a 400', async (key) => {
    const response = await t.http.post('/v1/groups').set('authorization', user.authorization).set('idempotency-key', key).send({ name: 'x' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('Idempotency-Key');
  });

  it('accepts the draft’s quoted form', async () => {
    await create('"quoted-key-1"', 'Quoted').expect(201);
    const replay = await create('quoted-key-1', 'Quoted').expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});
