import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { ShutdownState } from '../../src/lifecycle/shutdown-state.js';

let t: TestApp;
let authorization: string;

beforeAll(async () => {
  t = await startTestApp();
  authorization = newLogin(t.sandbox).authorization;
});
afterAll(() => t.close());

const post = (contentType: string, body: string | Buffer) =>
  t.http.post('/v1/groups').set('authorization', authorization).set('content-type', contentType).send(body);

function expectProblem(
  response: { status: number; headers: Record<string, string>; body: Record<string, unknown>; text: string },
  status: number,
  slug: string,
) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    status,
    type: `tag:groups-bff,2026:problem:${slug}`,
    instance: '/v1/groups',
    requestId: response.headers['x-request-id'],
  });
  expect(response.text).not.toMatch(/at .*\.(js|ts):\d+/); // no stack trace
}

describe('malformed requests', () => {
  it.each(['{"name":', '{name: "x"}', 'nul', '{"name":"a"}}'])('malformed JSON %p → 400', async (body) => {
    expectProblem(await post('application/json', body), 400, 'malformed-request');
  });

  it('an empty JSON body → 400', async () => {
    expectProblem(await post('application/json', ''), 400, 'malformed-request');
  });

  it('prototype poisoning → 400', async () => {
    expectProblem(await post('application/json', '{"__proto__":{"admin":true},"name":"x"}'), 400, 'malformed-request');
  });

  it.each(['[{"name":"x"}]', '"x"', '42', 'null'])('a JSON body that is not an object (%s) → 400', async (body) => {
    const response = await post('application/json', body);
    expectProblem(response, 400, 'validation-failed');
    expect(response.body.errors).toEqual([{ field: 'body', message: 'body must be a JSON object' }]);
  });

  it('a body over 16 KiB → 413', async () => {
    expectProblem(
      await post('application/json', JSON.stringify({ name: 'x'.repeat(17 * 1024) })),
      413,
      'payload-too-large',
    );
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x'])(
    'content type %s → 415',
    async (type) => {
      expectProblem(await post(type, 'name=x'), 415, 'unsupported-media-type');
    },
  );

  it('a JSON body with a charset is fine', async () => {
    const response = await post('application/json; charset=utf-8', JSON.stringify({ name: 'Charset' }));
    expect(response.status).toBe(201);
  });
});

describe('unknown routes', () => {
  it.each([
    ['get', '/nope'],
    ['get', '/v2/groups'],
    ['post', '/v1/groups/1/members'],
  ] as const)('%s %s → 404 problem', async (method, path) => {
    const response = await t.http[method](path).set('authorization', authorization);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.instance).toBe(path);
  });

  it('instance leaves the query string out', async () => {
    const response = await t.http.get('/nope?token=secret');
    expect(response.body.instance).toBe('/nope');
  });
});

describe('X-Request-Id', () => {
  it('keeps a sane id from the gateway, on success and on error, and sends it upstream', async () => {
    const ok = await t.http
      .get('/v1/groups')
      .set('authorization', authorization)
      .set('x-request-id', 'gw-123:abc.DEF_9');
    expect(ok.headers['x-request-id']).toBe('gw-123:abc.DEF_9');
    const failed = await t.http.get('/v1/groups/0').set('authorization', authorization).set('x-request-id', 'gw-456');
    expect(failed.headers['x-request-id']).toBe('gw-456');
    expect(failed.body.requestId).toBe('gw-456');
    expect(
      t.logs
        .entries()
        .some((entry) => entry.requestId === 'gw-123:abc.DEF_9' && /GET \/v1\/groups 200/.test(String(entry.msg))),
    ).toBe(true);
  });

  it.each(['', 'has space', 'x'.repeat(129), 'semi;colon', 'ünï'])(
    'replaces an insane id %p with a generated one',
    async (id) => {
      const response = await t.http.get('/health/live').set('x-request-id', id);
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it('is generated when absent, unique per request', async () => {
    const [a, b] = await Promise.all([t.http.get('/health/live'), t.http.get('/health/live')]);
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});

describe('while the application closes', () => {
  let closing: TestApp;
  beforeAll(async () => {
    closing = await startTestApp({ sandboxOf: t.sandbox });
  });
  afterAll(() => closing.close());

  it('a request that still arrives gets a 503 problem+json with Retry-After, closes its connection and is logged', async () => {
    // The first of Nest's shutdown hooks, as app.close() runs it, before Redis and the upstream pool close.
    closing.app.get(ShutdownState).onModuleDestroy();
    const listsBefore = t.sandbox.control.stats().requests.list;
    const response = await closing.http
      .get('/v1/groups')
      .set('authorization', authorization)
      .set('x-request-id', 'closing-1');
    expectProblem(response, 503, 'service-unavailable');
    expect(response.headers['retry-after']).toBe('1');
    expect(response.headers['x-request-id']).toBe('closing-1');
    expect(response.headers.connection).toBe('close');
    const lines = closing.logs.entries().filter((entry) => entry.requestId === 'closing-1');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, problem: 'unavailable', status: 503 }),
      expect.objectContaining({ level: 50, msg: 'GET /v1/groups 503' }),
    ]);
    // Refused before any work: nothing reached DeepCall.
    expect(t.sandbox.control.stats().requests.list).toBe(listsBefore);
  });
});
