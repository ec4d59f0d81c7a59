import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let t: TestApp;
let bearer: string;
let groupId: number;

// Short enough for the hang test, long enough that a loaded machine's login is not a timeout.
const TIMEOUT_MS = 1000;

beforeAll(async () => {
  t = await startTestApp({ env: { DEEPCALL_TIMEOUT_MS: String(TIMEOUT_MS) } });
});
afterAll(() => t.close());
beforeEach(async () => {
  const user = newLogin(t.sandbox);
  const { body } = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
  bearer = `Bearer ${body.sessionId}`;
  groupId = (await t.http.post('/v1/groups').set('authorization', bearer).send({ name: 'Target' }).expect(201)).body.id;
});
afterEach(() => t.sandbox.control.clearFaults());

const listGroups = () => t.http.get('/v1/groups').set('authorization', bearer);
const getGroup = () => t.http.get(`/v1/groups/${groupId}`).set('authorization', bearer);
const deleteGroup = () => t.http.delete(`/v1/groups/${groupId}`).set('authorization', bearer);

function expectProblem(
  response: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    status,
    type: expect.stringMatching(/^tag:groups-bff,2026:problem:/),
    title: expect.any(String),
    detail: expect.any(String),
    requestId: response.headers['x-request-id'],
  });
}

describe('upstream application errors (docs/api-contract.md error table)', () => {
  it.each([
    [1014, 401],
    [1020, 401],
    [1015, 403],
    [1039, 403],
    [1503, 404],
    [1000, 400],
    [1001, 400],
    [1501, 400],
    [1502, 400],
    [1009, 502],
    [1010, 502],
    [1032, 502],
    [1047, 502],
    [7777, 502],
  ])('code %i on delete → HTTP %i with upstreamCode', async (code, status) => {
    t.sandbox.control.setFault({ op: 'delete', mode: 'error-code', code });
    const response = await deleteGroup();
    expectProblem(response, status);
    expect(response.body.upstreamCode).toBe(code);
    if (status === 401) expect(response.headers['www-authenticate']).toMatch(/Bearer.*Basic/);
  });

  it('1012 on the list route → 200 with no data', async () => {
    t.sandbox.control.setFault({ op: 'list', mode: 'error-code', code: 1012 });
    await listGroups().expect(200, { data: [], next: null });
  });

  it('1012 on a single-group route → 404', async () => {
    t.sandbox.control.setFault({ op: 'update', mode: 'error-code', code: 1012 });
    const response = await t.http.patch(`/v1/groups/${groupId}`).set('authorization', bearer).send({ name: 'x' });
    expectProblem(response, 404);
    expect(response.body.upstreamCode).toBe(1012);
  });

  it('error bodies under HTTP 4xx are read the same as under 200', async () => {
    t.sandbox.control.configure({ errorHttpStatus: 400 });
    try {
      t.sandbox.control.setFault({ op: 'list', mode: 'error-code', code: 1015 });
      expectProblem(await getGroup(), 403);
    } finally {
      t.sandbox.control.configure({ errorHttpStatus: 200 });
    }
  });
});

describe('upstream transport faults', () => {
  it.each([
    ['a 5xx', { mode: 'http-status', status: 503 }],
    ['a non-JSON body', { mode: 'non-json' }],
    ['a reset connection', { mode: 'reset' }],
  ] as const)('%s → 502', async (_label, fault) => {
    t.sandbox.control.setFault({ op: 'list', ...fault });
    const response = await listGroups();
    expectProblem(response, 502);
    expect(response.body.upstreamCode).toBeUndefined();
  });

  it('a refused connection → 502', async () => {
    const down = await startTestApp({ env: { DEEPCALL_BASE_URL: 'http://127.0.0.1:9' } });
    try {
      const user = newLogin(down.sandbox);
      expectProblem(await down.http.get('/v1/groups').set('authorization', user.authorization), 502);
    } finally {
      await down.close();
    }
  });

  it('HTTP 429 → 429 passing Retry-After on', async () => {
    t.sandbox.control.setFault({ op: 'list', mode: 'rate-limit', retryAfterSeconds: 17 });
    const response = await listGroups();
    expectProblem(response, 429);
    expect(response.headers['retry-after']).toBe('17');
  });

  it('a hang → 504 within the deadline plus a small margin, and the upstream socket is released', async () => {
    t.sandbox.control.setFault({ op: 'list', mode: 'hang' });
    const started = performance.now();
    const response = await listGroups();
    const elapsed = performance.now() - started;
    expectProblem(response, 504);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1500);
    // The aborted request's socket is closed, not left hanging at the sandbox.
    await waitFor(() => t.sandbox.control.stats().inFlight === 0, 2000, 'the hung upstream request to be abandoned');
  });

  it('a slow but timely answer is served', async () => {
    t.sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: 150 });
    await listGroups().expect(200);
  });

  it('serves normally once the faults are gone', async () => {
    t.sandbox.control.setFault({ op: 'list', mode: 'http-status', status: 500, times: 1 });
    expect((await listGroups()).status).toBe(502);
    await listGroups().expect(200);
  });
});
