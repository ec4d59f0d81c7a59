import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

// ssid mode against the sandbox: an expired ssid makes the next call log in again upstream.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { DEEPCALL_LOGIN_PATH: '/api/v2/User/login' } });
});
afterAll(() => t.close());
afterEach(() => t.sandbox.control.clearFaults());

const sessionKeys = async () => (await t.keys()).filter((key) => key.includes(':session:'));

describe('a logout racing a re-login', () => {
  it('stays done: the re-login that was already running does not bring the session back', async () => {
    const user = newLogin(t.sandbox);
    const { sessionId } = (
      await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201)
    ).body as { sessionId: string };
    const bearer = `Bearer ${sessionId}`;
    await t.http.get('/v1/groups').set('authorization', bearer).expect(200);

    // The ssid expires; the next call's re-login is held upstream while the user logs out.
    t.sandbox.control.expireSsids();
    t.sandbox.control.setFault({ op: 'login', mode: 'delay', delayMs: 1500, times: 1 });
    const loginsBefore = t.sandbox.control.stats().requests.login;
    const renewing = t.http
      .get('/v1/groups')
      .set('authorization', bearer)
      .then((response) => response);
    await waitFor(
      () => t.sandbox.control.stats().requests.login > loginsBefore && t.sandbox.control.stats().inFlight > 0,
      5000,
      'the re-login to be in flight upstream',
    );
    await t.http.delete('/v1/sessions/current').set('authorization', bearer).expect(204);
    expect(await sessionKeys()).toEqual([]);

    const renewed = await renewing;
    expect(renewed.status).toBe(401);
    expect(renewed.body.detail).toMatch(/revoked/);
    // Still gone afterwards, in Redis and for the next request.
    expect(await sessionKeys()).toEqual([]);
    await t.http.get('/v1/groups').set('authorization', bearer).expect(401);
  });

  it('a renewal without a logout still works (the session is renewed in place)', async () => {
    const user = newLogin(t.sandbox);
    const { sessionId } = (
      await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201)
    ).body as { sessionId: string };
    t.sandbox.control.expireSsids();
    const loginsBefore = t.sandbox.control.stats().requests.login;
    await t.http.get('/v1/groups').set('authorization', `Bearer ${sessionId}`).expect(200);
    await t.http.get('/v1/groups').set('authorization', `Bearer ${sessionId}`).expect(200);
    expect(t.sandbox.control.stats().requests.login - loginsBefore).toBe(1);
  });
});
