import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';

// The request context (src/core/request/request-context.ts) reaches every DeepCall call without
// a parameter: each route's log line lists the calls made while serving it, the login included.
let t: TestApp;
beforeAll(async () => {
  // Twenty concurrent requests of one user below: more than USER_MAX_CONCURRENT_CALLS allows.
  t = await startTestApp({ env: { LOG_LEVEL: 'info', USER_MAX_CONCURRENT_CALLS: '100' } });
});
afterAll(() => t.close());

const upstreamOf = (requestId: string) => {
  const lines = t.logs
    .entries()
    .filter((entry) => entry.requestId === requestId && typeof entry.responseTime === 'number');
  expect(lines).toHaveLength(1);
  return (lines[0].upstream as { operation: string }[]).map((call) => call.operation);
};

describe('every route logs the DeepCall calls it made', () => {
  it('for logins, group reads and writes, and logouts', async () => {
    const user = newLogin(t.sandbox);
    const { sessionId } = (
      await t.http
        .post('/v1/sessions')
        .set('x-request-id', 'ctx-login')
        .send({ userId: user.userId, token: user.token })
        .expect(201)
    ).body;
    const bearer = `Bearer ${sessionId as string}`;
    const id = (
      await t.http
        .post('/v1/groups')
        .set('authorization', bearer)
        .set('x-request-id', 'ctx-create')
        .send({ name: 'Traced' })
        .expect(201)
    ).body.id as number;
    await t.http.get('/v1/groups').set('authorization', bearer).set('x-request-id', 'ctx-list').expect(200);
    await t.http.get(`/v1/groups/${id}`).set('authorization', bearer).set('x-request-id', 'ctx-get').expect(200);
    await t.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', bearer)
      .set('x-request-id', 'ctx-update')
      .send({ name: 'Renamed' })
      .expect(200);
    await t.http.delete(`/v1/groups/${id}`).set('authorization', bearer).set('x-request-id', 'ctx-delete').expect(204);
    await t.http
      .get('/v1/groups')
      .set('authorization', user.authorization)
      .set('x-request-id', 'ctx-basic')
      .expect(200);
    await t.http
      .delete('/v1/sessions/current')
      .set('authorization', bearer)
      .set('x-request-id', 'ctx-logout')
      .expect(204);

    // The login check is a list that matches nothing (DeepCall's "no data", code 1012).
    expect(upstreamOf('ctx-login')).toEqual(['list']);
    expect(upstreamOf('ctx-create')).toEqual(['add', 'list']);
    expect(upstreamOf('ctx-list')).toEqual(['list']);
    expect(upstreamOf('ctx-get')).toEqual(['list']);
    expect(upstreamOf('ctx-update')).toEqual(['list', 'update', 'list']);
    expect(upstreamOf('ctx-delete')).toEqual(['delete']);
    // A cold Basic login: the login check, then the call itself.
    expect(upstreamOf('ctx-basic')).toEqual(['list', 'list']);
    expect(upstreamOf('ctx-logout')).toEqual([]);
  });

  it('for a failed call, with its outcome', async () => {
    const user = newLogin(t.sandbox);
    t.sandbox.control.setFault({ op: 'list', mode: 'http-status', status: 500, times: 1 });
    await t.http
      .post('/v1/sessions')
      .set('x-request-id', 'ctx-login-502')
      .send({ userId: user.userId, token: user.token })
      .expect(502);
    const line = t.logs
      .entries()
      .find((entry) => entry.requestId === 'ctx-login-502' && typeof entry.responseTime === 'number');
    expect(line?.upstream).toEqual([{ operation: 'list', durationMs: expect.any(Number), outcome: 'http-status' }]);
  });

  it('keeps concurrent requests apart', async () => {
    const user = newLogin(t.sandbox);
    const ids = Array.from({ length: 20 }, (_, index) => `ctx-many-${index}`);
    // Distinct queries: identical reads of one user in flight would share one call (read coalescing).
    await Promise.all(
      ids.map((id) =>
        t.http
          .get(`/v1/groups?name=${id}`)
          .set('authorization', user.authorization)
          .set('x-request-id', id)
          .expect(200),
      ),
    );
    // One cold login for all twenty (shared), so exactly one line has two calls and the rest one.
    const counts = ids.map((id) => upstreamOf(id).length).sort();
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(21);
    expect(counts.every((count) => count === 1 || count === 2)).toBe(true);
  });
});
