import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

// Two replicas of the service sharing one Redis (same secret and prefix) and one upstream that
// exchanges logins for ssids: what a deployment behind the gateway looks like.
let sandbox: RunningSandbox;
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  sandbox = await startSandbox();
  const env = {
    REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    DEEPCALL_LOGIN_PATH: '/api/v2/User/login',
  };
  [a, b] = await Promise.all([startTestApp({ env, sandboxOf: sandbox }), startTestApp({ env, sandboxOf: sandbox })]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  await sandbox.close();
});

const replica = (n: number) => (n % 2 === 0 ? a : b);

describe('sessions shared by replicas', () => {
  it('a session created on one replica works on the other; revoking it on one ends it everywhere', async () => {
    const user = newLogin(sandbox);
    const { body } = await a.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
    const bearer = `Bearer ${body.sessionId}`;
    await b.http.post('/v1/groups').set('authorization', bearer).send({ name: 'Shared' }).expect(201);
    await a.http.get('/v1/groups').set('authorization', bearer).expect(200);
    await b.http.delete('/v1/sessions/current').set('authorization', bearer).expect(204);
    await a.http.get('/v1/groups').set('authorization', bearer).expect(401);
  });
});

describe('one upstream login per user', () => {
  it('100 concurrent cold Basic requests split between two replicas log in upstream exactly once', async () => {
    const user = newLogin(sandbox);
    const loginsBefore = sandbox.control.stats().logins;
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, n) => replica(n).http.get('/v1/groups').set('authorization', user.authorization)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(200));
    expect(sandbox.control.stats().logins - loginsBefore).toBe(1);
  });

  it('many requests hitting one expired ssid on both replicas cause exactly one re-login', async () => {
    const user = newLogin(sandbox);
    const { body } = await a.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
    const bearer = `Bearer ${body.sessionId}`;
    await b.http.get('/v1/groups').set('authorization', bearer).expect(200);
    sandbox.control.expireSsids();
    const loginsBefore = sandbox.control.stats().logins;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, n) => replica(n).http.get('/v1/groups').set('authorization', bearer)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(200));
    expect(sandbox.control.stats().logins - loginsBefore).toBe(1);
  });

  it('an ssid that stays invalid after the one re-login is a 401 and ends the session', async () => {
    const user = newLogin(sandbox);
    const { body } = await a.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
    const bearer = `Bearer ${body.sessionId}`;
    sandbox.control.setFault({ op: 'list', mode: 'error-code', code: 1014 });
    try {
      const loginsBefore = sandbox.control.stats().logins;
      const listsBefore = sandbox.control.stats().requests.list;
      const response = await a.http.get('/v1/groups').set('authorization', bearer).expect(401);
      expect(response.body.upstreamCode).toBe(1014);
      expect(sandbox.control.stats().logins - loginsBefore).toBe(1);
      expect(sandbox.control.stats().requests.list - listsBefore).toBe(2);
    } finally {
      sandbox.control.clearFaults();
    }
    await b.http.get('/v1/groups').set('authorization', bearer).expect(401);
  });
});
