import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basic, startTestApp, TestApp } from '../support/test-app.js';
import { startUpstreamStub, UpstreamStub } from '../support/upstream-stub.js';

// An upstream that ignores the id filter and answers in an unusual shape: the service must
// still answer exactly the requested group.
let stub: UpstreamStub;
let t: TestApp;

beforeAll(async () => {
  stub = await startUpstreamStub((path) => {
    if (path === '/api/v2/Group/list') {
      return {
        body: {
          status: 'success',
          code: 200,
          response: {
            '11': { group_id: '11', name: 'Eleven', status: '0', create_date: '2024-01-02 03:04:05' },
            '12': { group_id: '12', name: 'Twelve', status: '1' },
          },
        },
      };
    }
    return { body: { status: 'error', message: 'nope', code: 1009 } };
  });
  t = await startTestApp({ env: { DEEPCALL_BASE_URL: stub.url } });
});
afterAll(async () => {
  await t.close();
  await stub.close();
});

const auth = basic('stub-user', 'stub-token');

describe('tolerant reading of the upstream list', () => {
  it('GET /v1/groups/{id} filters by id itself', async () => {
    const response = await t.http.get('/v1/groups/12').set('authorization', auth).expect(200);
    expect(response.body).toEqual({ id: 12, name: 'Twelve', status: 'active', createdAt: null });
    const eleven = await t.http.get('/v1/groups/11').set('authorization', auth).expect(200);
    expect(eleven.body).toEqual({ id: 11, name: 'Eleven', status: 'inactive', createdAt: '2024-01-02T03:04:05.000Z' });
    await t.http.get('/v1/groups/13').set('authorization', auth).expect(404);
  });

  it('sends the credentials in the body as JSON, with the request id header', async () => {
    await t.http.get('/v1/groups/12').set('authorization', auth).set('x-request-id', 'shape-1').expect(200);
    const last = stub.received.at(-1)!;
    expect(last.body).toMatchObject({ userId: 'stub-user', token: 'stub-token', groupid: '12' });
    expect(last.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
      'x-request-id': 'shape-1',
    });
  });

  it('PATCH sends upstream the current values of the fields the caller left out', async () => {
    stub.received.length = 0;
    await t.http.patch('/v1/groups/11').set('authorization', auth).send({ name: 'Renamed' });
    const update = stub.received.find((request) => request.path === '/api/v2/Group/update');
    expect(update?.body).toMatchObject({ groupId: '11', name: 'Renamed', status: 0 });
  });
});
