import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

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
    expect(conflict.body.type).toBe('tag:groups-bff,2026:problem:idempotency-key-in-flight');
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(1);
    // Once the first has finished, the same request is a replay.
    const later = await create(key, 'Double submit').expect(201);
    expect(later.headers['idempotent-replayed']).toBe('true');
  });

  it('a first attempt answered 5xx (outcome unknown): the retry finds nothing was created and creates once', async () => {
    const key = randomUUID();
    t.sandbox.control.setFault({ op: 'add', mode: 'http-status', status: 500, times: 1 });
    await create(key, 'Retry me').expect(502);
    const retried = await create(key, 'Retry me').expect(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(1);
  });

  it('a first attempt refused by DeepCall (an error code) frees the key at once', async () => {
    const key = randomUUID();
    const idempotencyKeys = async () =>
      (await t.keys()).filter((storeKey) => storeKey.includes(':idempotency:')).length;
    const before = await idempotencyKeys();
    t.sandbox.control.setFault({ op: 'add', mode: 'error-code', code: 1009, times: 1 });
    await create(key, 'Refused first').expect(502);
    await waitFor(async () => (await idempotencyKeys()) === before, 2000, 'the key to be freed');
    await create(key, 'Refused first').expect(201);
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(1);
  });

  it('a first attempt that timed out holds the key no longer than its request deadline, then the retry creates once', async () => {
    const slow = await startTestApp({
      sandboxOf: t.sandbox,
      env: { DEEPCALL_TIMEOUT_MS: '200', REQUEST_DEADLINE_MS: '1000' },
    });
    try {
      const key = randomUUID();
      const send = () =>
        slow.http
          .post('/v1/groups')
          .set('authorization', user.authorization)
          .set('idempotency-key', key)
          .send({ name: 'Late' });
      t.sandbox.control.setFault({ op: 'add', mode: 'hang', times: 1 });
      const started = Date.now();
      await send().expect(504);
      // DeepCall never answered, so it may still be working on it: held off until the deadline.
      const held = await send().expect(409);
      expect(held.body.type).toBe('tag:groups-bff,2026:problem:idempotency-key-in-flight');
      let retried!: Awaited<ReturnType<typeof send>>;
      await waitFor(async () => (retried = await send()).status !== 409, 5000, 'the key to be free');
      expect(retried.status).toBe(201);
      expect(Date.now() - started).toBeLessThan(1000 + 1500);
      expect(t.sandbox.control.groupsOf(user.userId).filter((group) => group.name.startsWith('Late'))).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('cannot tell whose group appeared: 409 outcome-unknown, nothing created, the same answer on every retry', async () => {
    const key = randomUUID();
    t.sandbox.control.setFault({ op: 'add', mode: 'http-status', status: 500, times: 1 });
    await create(key, 'Contested').expect(502);
    // Meanwhile two groups of that name appear (another client, or the lost create and another).
    t.sandbox.control.seedGroups(user.userId, 2, 'Contested');
    const groupsBefore = t.sandbox.control.groupsOf(user.userId).length;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const answer = await create(key, 'Contested').expect(409);
      expect(answer.body.type).toBe('tag:groups-bff,2026:problem:idempotency-outcome-unknown');
    }
    expect(t.sandbox.control.groupsOf(user.userId)).toHaveLength(groupsBefore);
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

  it.each(['', '"unterminated', 'x'.repeat(256), 'tab\tkey', 'quote"inside'])(
    'refuses the malformed key %p with a 400',
    async (key) => {
      const response = await t.http
        .post('/v1/groups')
        .set('authorization', user.authorization)
        .set('idempotency-key', key)
        .send({ name: 'x' });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('Idempotency-Key');
    },
  );

  it('accepts the draft’s quoted form', async () => {
    await create('"quoted-key-1"', 'Quoted').expect(201);
    const replay = await create('quoted-key-1', 'Quoted').expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });
});
