import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let t: TestApp;
let caller: ReturnType<typeof newLogin>;
let authorization: string;
let port: number;

beforeAll(async () => {
  t = await startTestApp({ env: { HTTP_REQUEST_TIMEOUT_MS: '400' } });
  caller = newLogin(t.sandbox);
  authorization = caller.authorization;
  await t.app.listen(0, '127.0.0.1');
  port = (t.app.getHttpServer().address() as AddressInfo).port;
});
afterAll(() => t.close());

/** The request's own log line, by its id. */
function logLineOf(requestId: string, status: number) {
  return t.logs
    .entries()
    .find(
      (entry) =>
        entry.requestId === requestId && (entry.res as { statusCode?: number } | undefined)?.statusCode === status,
    );
}

/** Sends raw bytes on a socket and reads everything until the server closes it. */
function rawExchange(head: string, body = ''): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(head + body));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve({ text, closedAfterMs: performance.now() - started }));
    socket.setTimeout(10_000, () => socket.destroy(new Error('the server never closed the connection')));
  });
}

function parseRaw(text: string) {
  const [head, body] = text.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as Record<string, unknown> };
}

describe('slow clients', () => {
  it('a body that trickles in past HTTP_REQUEST_TIMEOUT_MS gets a 408 problem and a closed connection', async () => {
    const head = `POST /v1/groups HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: 100\r\nX-Request-Id: slow-body-1\r\n\r\n`;
    const { text, closedAfterMs } = await rawExchange(head, '{"na');
    const answer = parseRaw(text);
    expect(answer.status).toBe(408);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers['x-request-id']).toBe('slow-body-1');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toMatchObject({
      status: 408,
      type: 'tag:groups-bff,2026:problem:request-timeout',
      instance: '/v1/groups',
      requestId: 'slow-body-1',
    });
    expect(closedAfterMs).toBeGreaterThanOrEqual(300);
    await waitFor(() => logLineOf('slow-body-1', 408) !== undefined, 2000, 'the 408 log line');
    // The body never arrived whole: nothing was created for the caller.
    expect(t.sandbox.control.groupsOf(caller.userId)).toEqual([]);
  });

  it('headers that never end get a 408 too', async () => {
    const { text } = await rawExchange('GET /v1/groups HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const answer = parseRaw(text);
    expect(answer.status).toBe(408);
    expect(answer.body.requestId).toBe(answer.headers['x-request-id']);
  });
});

describe('long URLs', () => {
  it.each([
    ['a long id', `/v1/groups/${'9'.repeat(3000)}`],
    ['a long unknown path', `/${'a'.repeat(3000)}`],
    ['a long query', `/v1/groups?name=${'b'.repeat(3000)}`],
  ])('%s → 414 problem+json, not echoing the URL', async (_what, url) => {
    const response = await t.http.get(url).set('authorization', authorization);
    expect(response.status).toBe(414);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: 414,
      type: 'tag:groups-bff,2026:problem:uri-too-long',
      requestId: response.headers['x-request-id'],
    });
    expect(response.text.length).toBeLessThan(500);
    expect(logLineOf(response.headers['x-request-id'], 414)).toBeDefined();
  });

  it('an over-long route parameter the router refuses is a 414 problem too', async () => {
    // A URL whose single parameter is over the router's limit (the raw router answers before any hook).
    const response = await t.http
      .get(`/v1/groups/${'7'.repeat(2100)}`)
      .set('authorization', authorization)
      .set('x-request-id', 'long-param-1');
    expect(response.status).toBe(414);
    expect(response.headers['x-request-id']).toBe('long-param-1');
    expect(response.body.requestId).toBe('long-param-1');
    expect(response.text).not.toContain('7'.repeat(100));
    expect(logLineOf('long-param-1', 414)).toBeDefined();
  });
});

describe('wrong methods', () => {
  it.each([
    ['put', '/v1/groups/1', 'DELETE, GET, HEAD, PATCH'],
    ['post', '/v1/groups/1', 'DELETE, GET, HEAD, PATCH'],
    ['delete', '/v1/groups', 'GET, HEAD, POST'],
    ['get', '/v1/sessions', 'POST'],
  ] as const)('%s %s → 405 with Allow: %s', async (method, path, allow) => {
    const response = await t.http[method](path).set('authorization', authorization);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allow);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: 405,
      type: 'tag:groups-bff,2026:problem:method-not-allowed',
      instance: path,
      requestId: response.headers['x-request-id'],
    });
    expect(logLineOf(response.headers['x-request-id'], 405)).toBeDefined();
  });

  it('an unknown path stays a 404 problem with its log line', async () => {
    const response = await t.http.get('/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.allow).toBeUndefined();
    expect(logLineOf(response.headers['x-request-id'], 404)).toBeDefined();
  });
});

describe('framework answers carry X-Request-Id and a log line', () => {
  it.each([
    ['413', 413, 'application/json', JSON.stringify({ name: 'x'.repeat(20_000) })],
    ['415', 415, 'text/plain', 'name=x'],
  ] as const)('%s', async (_name, status, type, body) => {
    const response = await t.http
      .post('/v1/groups')
      .set('authorization', authorization)
      .set('content-type', type)
      .send(body);
    expect(response.status).toBe(status);
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
    expect(logLineOf(response.headers['x-request-id'], status)).toBeDefined();
  });
});

describe('group names', () => {
  it.each([
    ['a bidi override', 'Sales\u202E'],
    ['a zero-width space', 'Sa\u200Bles'],
    ['a zero-width joiner', 'Sales\u200DTeam'],
    ['a byte order mark inside', 'Sa\uFEFFles'],
    ['a replacement character', 'Sales \uFFFD'],
    ['a lone surrogate', 'Sales \uD800'],
  ])('refuses %s before DeepCall is asked', async (_what, name) => {
    const before = t.sandbox.control.stats().requests.add;
    // JSON.stringify writes a lone surrogate as \ud800, as a client would.
    const response = await t.http
      .post('/v1/groups')
      .set('authorization', authorization)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name }));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'name', message: 'name must not contain control, invisible formatting or replacement characters' },
    ]);
    expect(t.sandbox.control.stats().requests.add).toBe(before);
  });

  it('stores names NFC-normalized', async () => {
    const user = newLogin(t.sandbox);
    const response = await t.http
      .post('/v1/groups')
      .set('authorization', user.authorization)
      .send({ name: 'Cafe\u0301 Crew' })
      .expect(201);
    expect(response.body.name).toBe('Caf\u00E9 Crew');
    expect(t.sandbox.control.groupsOf(user.userId).map((group) => group.name)).toEqual(['Caf\u00E9 Crew']);
  });
});
