import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { timed, waitFor } from '../support/wait-for.js';

const CALL_TIMEOUT_MS = 1000;
const DEADLINE_MS = 2000;
/** What a loaded machine may add on top of the deadline: scheduling, the 504's own rendering. */
const MARGIN_MS = 400;

describe('deadlines end to end (REQUEST_DEADLINE_MS)', () => {
  let t: TestApp;
  let user: ReturnType<typeof newLogin>;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        DEEPCALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
        REQUEST_DEADLINE_MS: String(DEADLINE_MS),
        DEEPCALL_BREAKER_THRESHOLD: '1000',
      },
    });
    user = newLogin(t.sandbox);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
  });
  afterAll(() => t.close());
  afterEach(() => t.sandbox.control.clearFaults());

  it('a PATCH whose calls each answer just under DEEPCALL_TIMEOUT_MS ends by the deadline, as a 504 when the write did not finish', async () => {
    const slowTimeoutMs = 1500;
    const patient = await startTestApp({
      sandboxOf: t.sandbox,
      env: {
        DEEPCALL_TIMEOUT_MS: String(slowTimeoutMs),
        REQUEST_DEADLINE_MS: String(DEADLINE_MS),
        DEEPCALL_BREAKER_THRESHOLD: '1000',
      },
    });
    try {
      const created = await patient.http
        .post('/v1/groups')
        .set('authorization', user.authorization)
        .send({ name: 'Slow patch' })
        .expect(201);
      t.sandbox.control.setFault({ op: '*', mode: 'delay', delayMs: slowTimeoutMs - 100 });
      const { response, ms } = await timed(
        patient.http
          .patch(`/v1/groups/${created.body.id}`)
          .set('authorization', user.authorization)
          .send({ status: 'inactive' }),
      );
      // The read takes 1400 ms; the update gets only the 600 ms left and is cut short at the deadline.
      expect(response.status).toBe(504);
      expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      console.log(
        `PATCH under a DeepCall answering in ${slowTimeoutMs - 100} ms (timeout ${slowTimeoutMs}, deadline ${DEADLINE_MS}): ${response.status} after ${Math.round(ms)} ms`,
      );
    } finally {
      await patient.close();
    }
  });

  it('a PATCH whose write succeeded answers 200 with what is known when the read-back runs out of time', async () => {
    const created = await t.http
      .post('/v1/groups')
      .set('authorization', user.authorization)
      .send({ name: 'Written' })
      .expect(201);
    t.sandbox.control.setFault({ op: '*', mode: 'delay', delayMs: 700 });
    const { response, ms } = await timed(
      t.http
        .patch(`/v1/groups/${created.body.id}`)
        .set('authorization', user.authorization)
        .send({ name: 'Written, renamed' }),
    );
    // read 700 + update 700 leave 600 ms for a read-back that needs 700.
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: created.body.id, name: 'Written, renamed', status: 'active' });
    expect(ms).toBeLessThan(DEADLINE_MS + MARGIN_MS);
    await waitFor(
      () => t.sandbox.control.groupsOf(user.userId).some((group) => group.name === 'Written, renamed'),
      2000,
      'the update to land',
    );
  });

  it('starts no retry that could not finish before the deadline', async () => {
    const created = await t.http
      .post('/v1/groups')
      .set('authorization', user.authorization)
      .send({ name: 'No retry' })
      .expect(201);
    const patchCountingReads = async (faults: Parameters<typeof t.sandbox.control.setFault>[0][]) => {
      for (const fault of faults) t.sandbox.control.setFault(fault);
      const before = t.sandbox.control.stats().requests.list;
      const response = await t.http
        .patch(`/v1/groups/${created.body.id}`)
        .set('authorization', user.authorization)
        .send({ status: 'inactive' });
      return { status: response.status, reads: t.sandbox.control.stats().requests.list - before };
    };
    const readBackFails = { op: 'list', mode: 'http-status', status: 503, times: 1 } as const;
    // With time to spare, a read-back answered 503 is retried: read, read-back, retry.
    expect(await patchCountingReads([{ op: 'list', mode: 'delay', delayMs: 0, times: 1 }, readBackFails])).toEqual({
      status: 200,
      reads: 3,
    });
    // After a 900 ms read, the 1100 ms left cannot hold another full call and its backoff: no retry is started.
    expect(await patchCountingReads([{ op: 'list', mode: 'delay', delayMs: 900, times: 1 }, readBackFails])).toEqual({
      status: 200,
      reads: 2,
    });
  });
});

describe('half-open means one trial', () => {
  let t: TestApp;
  let user: ReturnType<typeof newLogin>;

  beforeAll(async () => {
    t = await startTestApp({
      // One user sends the 20 concurrent requests: the per-user limit is not what is tested here.
      env: {
        DEEPCALL_BREAKER_THRESHOLD: '1',
        DEEPCALL_BREAKER_COOLDOWN_MS: '200',
        DEEPCALL_TIMEOUT_MS: '3000',
        USER_MAX_CONCURRENT_CALLS: '50',
      },
    });
    user = newLogin(t.sandbox);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
  });
  afterAll(() => t.close());

  it('while the trial call runs, 19 concurrent requests are refused at once with 503 and Retry-After, none reaching DeepCall', async () => {
    t.sandbox.control.setFault({ op: 'list', mode: 'http-status', status: 500, times: 1 });
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(502);
    // The trial will be slow: DeepCall takes 2.5 s to answer it.
    t.sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: 2500, times: 1 });
    const listed = () => t.sandbox.control.stats().requests.list;
    const callsBefore = listed();
    // Until the cooldown is over requests are refused (open); the first one after it is the trial.
    let trial: Promise<{ status: number }> | undefined;
    await waitFor(
      async () => {
        const attempt = t.http
          .get('/v1/groups')
          .set('authorization', user.authorization)
          .then((response) => response);
        const outcome = await Promise.race([
          attempt.then(() => 'answered'),
          waitFor(() => listed() > callsBefore, 200, 'the trial call').then(
            () => 'trial',
            () => 'no call',
          ),
        ]);
        if (outcome === 'trial') trial = attempt;
        return trial !== undefined;
      },
      5000,
      'the trial call to start',
    );
    let trialAnsweredAt = Number.POSITIVE_INFINITY;
    const trialDone = trial!.then((response) => ((trialAnsweredAt = performance.now()), response));
    const started = performance.now();
    // Distinct queries: identical reads of one user would share the trial's call (read coalescing).
    const others = await Promise.all(
      Array.from({ length: 19 }, (_, n) =>
        t.http.get(`/v1/groups?name=other-${n}`).set('authorization', user.authorization),
      ),
    );
    const refusedWithinMs = performance.now() - started;
    for (const response of others) {
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body.type).toBe('tag:groups-bff,2026:problem:service-unavailable');
    }
    expect(listed()).toBe(callsBefore + 1);
    // Refused while the trial was still running, not after waiting for its verdict.
    expect(trialAnsweredAt).toBe(Number.POSITIVE_INFINITY);
    expect((await trialDone).status).toBe(200);
    await t.http.get('/v1/groups').set('authorization', user.authorization).expect(200);
    console.log(
      `half-open: 19 of 19 concurrent requests refused (503) within ${Math.round(refusedWithinMs)} ms while the trial call ran`,
    );
  });
});
