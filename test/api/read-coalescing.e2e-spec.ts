import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

// Identical reads of one user that overlap share one DeepCall call; nothing outlives that call.
// Upstream list calls are held by a sandbox delay so the reads surely overlap, even on a busy machine.
const HOLD_MS = 2500;
/** The write test holds the earlier read this long: well past a create and a read on a loaded machine. */
const LONG_HOLD_MS = 6000;
const READERS = 8;

let t: TestApp;
let user: ReturnType<typeof newLogin>;

beforeAll(async () => {
  t = await startTestApp({ env: { DEEPCALL_TIMEOUT_MS: '15000' } });
});
afterAll(() => t.close());
beforeEach(async () => {
  user = newLogin(t.sandbox);
  // A cold Basic login starts with a list call (the login check): warm the session first.
  await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
  t.sandbox.control.resetStats();
});
afterEach(() => t.sandbox.control.clearFaults());

const list = (authorization: string, query = '') =>
  t.http.get(`/v1/groups${query}`).set('authorization', authorization);
const listCalls = () => t.sandbox.control.stats().requests.list;
const names = (body: { data: { name: string }[] }) => body.data.map((group) => group.name);

describe('identical concurrent reads of one user', () => {
  it('share one upstream list call and all get the same answer', async () => {
    await t.http.post('/v1/groups').set('authorization', user.authorization).send({ name: 'Alpha' }).expect(201);
    t.sandbox.control.resetStats();
    t.sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: HOLD_MS });
    const answers = await Promise.all(Array.from({ length: READERS }, () => list(user.authorization).expect(200)));
    expect(listCalls()).toBe(1);
    for (const answer of answers) expect(names(answer.body)).toEqual(['Alpha']);
    // Nothing is kept: the next read, after the shared one settled, is a call of its own.
    t.sandbox.control.clearFaults();
    await list(user.authorization).expect(200);
    expect(listCalls()).toBe(2);
  });

  it('share one call for one group too', async () => {
    const created = await t.http
      .post('/v1/groups')
      .set('authorization', user.authorization)
      .send({ name: 'Solo' })
      .expect(201);
    t.sandbox.control.resetStats();
    t.sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: HOLD_MS });
    const answers = await Promise.all(
      Array.from({ length: READERS }, () =>
        t.http.get(`/v1/groups/${created.body.id}`).set('authorization', user.authorization).expect(200),
      ),
    );
    expect(listCalls()).toBe(1);
    for (const answer of answers) expect(answer.body.name).toBe('Solo');
  });

  it('do not share when the query differs', async () => {
    t.sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: HOLD_MS });
    await Promise.all([
      list(user.authorization).expect(200),
      list(user.authorization, '?quick=true').expect(200),
      list(user.authorization, '?name=x').expect(200),
    ]);
    expect(listCalls()).toBe(3);
  });
});

describe('different users', () => {
  it('never share a call, and each gets only their own groups', async () => {
    const other = newLogin(t.sandbox, 'other');
    await list(other.authorization).expect(200);
    await t.http.post('/v1/groups').set('authorization', user.authorization).send({ name: 'Mine' }).expect(201);
    await t.http.post('/v1/groups').set('authorization', other.authorization).send({ name: 'Theirs' }).expect(201);
    t.sandbox.control.resetStats();
    t.sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: HOLD_MS });
    const [mine, theirs] = await Promise.all([
      list(user.authorization).expect(200),
      list(other.authorization).expect(200),
    ]);
    expect(listCalls()).toBe(2);
    expect(names(mine.body)).toEqual(['Mine']);
    expect(names(theirs.body)).toEqual(['Theirs']);
  });
});

describe('a write by the user', () => {
  it('is seen by their next read, even while an earlier identical read is still in flight', async () => {
    // Only the first list call is held: the earlier read stays in flight across the whole write.
    t.sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: LONG_HOLD_MS, times: 1 });
    let earlierSettled = false;
    const earlier = list(user.authorization).then((answer) => {
      earlierSettled = true;
      return answer;
    });
    await waitFor(() => t.sandbox.control.stats().inFlight >= 1, 5000, 'the earlier read to reach upstream');
    await t.http.post('/v1/groups').set('authorization', user.authorization).send({ name: 'Written' }).expect(201);
    const next = await list(user.authorization).expect(200);
    expect(names(next.body)).toEqual(['Written']);
    expect(earlierSettled).toBe(false); // it was still running: the next read did not join it
    expect((await earlier).status).toBe(200);
    // The earlier read, the create's read-back and the next read: three calls, none shared.
    expect(listCalls()).toBe(3);
  });
});

describe('a caller who joined a read', () => {
  it("keeps its own deadline: the first caller's running out does not cut it short", async () => {
    const d = await startTestApp({
      sandboxOf: t.sandbox,
      env: { REQUEST_DEADLINE_MS: '1500', DEEPCALL_TIMEOUT_MS: '15000' },
    });
    try {
      await d.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
      t.sandbox.control.setFault({ op: 'list', mode: 'hang', times: 1 });
      const listsBefore = listCalls();
      const firstSentAt = performance.now();
      const first = d.http
        .get('/v1/groups')
        .set('authorization', user.authorization)
        .then((answer) => answer);
      await waitFor(() => t.sandbox.control.stats().inFlight >= 1, 5000, 'the first list held upstream');
      // What is tested is two arrivals 500 ms apart: the second's deadline is 500 ms after the first's.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstSentAt + 500 - performance.now())));
      const secondSentAt = performance.now();
      const second = await d.http.get('/v1/groups').set('authorization', user.authorization);
      expect((await first).status).toBe(504);
      // It joined the held call, and when that ran out of the first caller's time, read on its own.
      expect(second.status).toBe(200);
      expect(performance.now() - secondSentAt).toBeLessThan(1500);
      expect(listCalls() - listsBefore).toBe(2);
    } finally {
      await d.close();
    }
  });
});
