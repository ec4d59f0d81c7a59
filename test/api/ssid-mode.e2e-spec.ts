import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basic, startTestApp, TestApp } from '../support/test-app.js';
import { startUpstreamStub, UpstreamStub } from '../support/upstream-stub.js';

// An upstream whose login answers the ssid in a nested field: checks what the service sends.
let stub: UpstreamStub;
let t: TestApp;

beforeAll(async () => {
  stub = await startUpstreamStub((path, body) => {
    if (path === '/auth/login') {
      return body.token === 'stub-token'
        ? { body: { status: 'success', code: 200, data: { ssid: 'SSID-FROM-LOGIN' } } }
        : { body: { status: 'error', code: 1014, message: 'Invalid token' } };
    }
    return { body: { status: 'success', code: 200, response: [{ id: 3, name: 'Three', status: 1 }] } };
  });
  t = await startTestApp({
    env: { DEEPCALL_BASE_URL: stub.url, DEEPCALL_LOGIN_PATH: '/auth/login', DEEPCALL_LOGIN_SSID_FIELD: 'data.ssid' },
  });
});
afterAll(async () => {
  await t.close();
  await stub.close();
});

describe('DEEPCALL_LOGIN_PATH mode', () => {
  it('logs in at the configured path and sends only the ssid on group calls', async () => {
    await t.http.get('/v1/groups').set('authorization', basic('stub-user', 'stub-token')).expect(200);
    expect(stub.received.map((request) => request.path)).toEqual(['/auth/login', '/api/v2/Group/list']);
    expect(stub.received[0].body).toEqual({ userId: 'stub-user', token: 'stub-token' });
    const groupCall = stub.received[1].body;
    expect(groupCall.ssid).toBe('SSID-FROM-LOGIN');
    expect(groupCall).not.toHaveProperty('token');
    expect(groupCall).not.toHaveProperty('userId');
  });

  it('answers 401 when the login is refused', async () => {
    const response = await t.http.post('/v1/sessions').send({ userId: 'stub-user', token: 'wrong' }).expect(401);
    expect(response.body.upstreamCode).toBe(1014);
  });
});
