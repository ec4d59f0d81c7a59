import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { postJson, sendToSandbox } from '../../test/support/sandbox-http-client.js';
import { DEMO_LOGIN, startSandbox, type RunningSandbox } from './sandbox.server.js';

describe('sandbox authentication and login', () => {
  let sandbox: RunningSandbox;
  const login = (body: unknown) => postJson(sandbox.url, '/api/v2/User/login', body);
  const list = (body: unknown) => postJson(sandbox.url, '/api/v2/Group/list', body);

  beforeAll(async () => {
    sandbox = await startSandbox({ emptyListAs: 'empty' });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('logs the demo account in and issues an ssid that works for group calls', async () => {
    const answer = await login(DEMO_LOGIN);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'success', ssid: expect.any(String), code: 200 });

    const listed = await list({ ssid: answer.body.ssid });
    expect(listed.body).toEqual({ status: 'success', response: [], code: 200 });
  });

  it('issues a different ssid on every login', async () => {
    const first = await login(DEMO_LOGIN);
    const second = await login(DEMO_LOGIN);
    expect(first.body.ssid).not.toBe(second.body.ssid);
  });

  it('answers a login with a wrong token 1014, a missing token 1020 and a missing userId 1002', async () => {
    expect((await login({ userId: 'demo', token: 'wrong' })).body).toEqual({
      status: 'error',
      message: 'Invalid token',
      code: 1014,
    });
    expect((await login({ userId: 'nobody', token: 'demo-token' })).body.code).toBe(1014);
    expect((await login({ userId: 'demo' })).body.code).toBe(1020);
    expect((await login({ token: 'demo-token' })).body.code).toBe(1002);
  });

  it('rejects group calls with no token (1020), no userId (1002), unknown user or wrong token (1014)', async () => {
    expect((await list({})).body.code).toBe(1020);
    expect((await list({ userId: 'demo' })).body.code).toBe(1020);
    expect((await list({ token: 'demo-token' })).body.code).toBe(1002);
    expect((await list({ userId: 'demo', token: 'nope' })).body.code).toBe(1014);
    expect((await list({ userId: 'ghost', token: 'demo-token' })).body.code).toBe(1014);
  });

  it('rejects an unknown or non-string ssid with 1014, even with a valid userId+token beside it', async () => {
    expect((await list({ ssid: 'made-up' })).body.code).toBe(1014);
    expect((await list({ ssid: 42 })).body.code).toBe(1014);
    expect((await list({ ssid: 'made-up', ...DEMO_LOGIN })).body.code).toBe(1014);
  });

  it('accepts logins added at run time, and a numeric userId sent as a number', async () => {
    sandbox.control.addUser('4711', 'secret');
    expect((await list({ userId: 4711, token: 'secret' })).body.status).toBe('success');
    expect((await login({ userId: '4711', token: 'secret' })).body.status).toBe('success');
  });

  it('invalidates every issued ssid on expireSsids', async () => {
    const { ssid } = (await login(DEMO_LOGIN)).body;
    expect((await list({ ssid })).body.status).toBe('success');
    sandbox.control.expireSsids();
    expect((await list({ ssid })).body).toEqual({ status: 'error', message: 'Invalid token', code: 1014 });
    expect((await list(DEMO_LOGIN)).body.status).toBe('success');
  });

  it('expires ssids after ssidTtlMs', async () => {
    sandbox.control.configure({ ssidTtlMs: 0 });
    const { ssid } = (await login(DEMO_LOGIN)).body;
    expect((await list({ ssid })).body.code).toBe(1014);
  });

  describe('the documentation example (plain-text body, no Content-Type)', () => {
    it('adds a group with an ssid', async () => {
      const { ssid } = (await login(DEMO_LOGIN)).body;
      const res = await sendToSandbox(sandbox.url, '/api/v2/Group/add', {
        body: `{"ssid":"${ssid}","name":"Manoj kumar"}`,
      });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ status: 'success', groupId: expect.any(Number), code: 200 });
      expect(sandbox.control.groupsOf('demo').map((group) => group.name)).toEqual(['Manoj kumar']);
    });

    it('adds a group with userId+token sent as text/plain', async () => {
      const res = await sendToSandbox(sandbox.url, '/api/v2/Group/add', {
        body: '{"userId":"demo","token":"demo-token","name":"Manoj kumar"}',
        contentType: 'text/plain;charset=UTF-8',
      });
      expect(JSON.parse(res.text)).toEqual({ status: 'success', groupId: expect.any(Number), code: 200 });
    });
  });
});
