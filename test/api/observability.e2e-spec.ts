import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

let t: TestApp;
let user: ReturnType<typeof newLogin>;
let groupId: number;

beforeAll(async () => {
  t = await startTestApp({ env: { LOG_LEVEL: 'info', TRUST_PROXY: '1' } });
  user = newLogin(t.sandbox);
  groupId = (
    await t.http.post('/v1/groups').set('authorization', user.authorization).send({ name: 'Observed' }).expect(201)
  ).body.id;
  await t.http
    .get(`/v1/groups/${groupId}`)
    .set('authorization', user.authorization)
    .set('x-request-id', 'obs-1')
    .set('x-forwarded-for', '203.0.113.7')
    .expect(200);
  t.sandbox.control.setFault({ op: 'list', mode: 'http-status', status: 500, times: 1 });
  await t.http.get('/v1/groups').set('authorization', user.authorization).set('x-request-id', 'obs-502').expect(502);
});
afterAll(() => t.close());

const requestLines = () => t.logs.entries().filter((entry) => typeof entry.responseTime === 'number');

describe('request logs', () => {
  it('write one JSON line per request with route template, status, duration, request id, client address and upstream calls', () => {
    const lines = requestLines().filter((entry) => entry.requestId === 'obs-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      requestId: 'obs-1',
      route: '/v1/groups/:id',
      clientIp: '203.0.113.7',
      req: { method: 'GET', path: `/v1/groups/${groupId}` },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      upstream: [{ operation: 'list', durationMs: expect.any(Number), outcome: 'success' }],
    });
  });

  it('carry the request id on every line written while serving it', () => {
    const sameRequest = t.logs.entries().filter((entry) => entry.requestId === 'obs-502');
    // The problem line (a warning: DeepCall failed) and the request line.
    expect(sameRequest.map((entry) => entry.level)).toEqual([40, 50]);
    expect(sameRequest[0]).toMatchObject({
      problem: 'badGateway',
      upstream: { operation: 'list', failure: 'http-status', httpStatus: 500 },
    });
  });

  it('keep health and metrics requests quiet', async () => {
    const before = t.logs.lines.length;
    await t.http.get('/health/live').expect(200);
    await t.http.get('/health/ready').expect(200);
    await t.http.get('/metrics').expect(200);
    expect(t.logs.lines.slice(before).filter((line) => /\/health|\/metrics/.test(line))).toEqual([]);
  });

  it('redact credentials wherever they appear in a logged object', () => {
    new Logger('RedactionCheck').log(
      { token: 'T0KEN', ssid: 'SS1D', sessionId: 'SESS', nested: { token: 'T0KEN2', authorization: 'Basic abc' } },
      'redaction check',
    );
    const line = t.logs.lines.find((text) => text.includes('redaction check'))!;
    for (const secret of ['T0KEN', 'SS1D', 'SESS', 'Basic abc']) expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });

  it('honour LOG_LEVEL', async () => {
    const quiet = await startTestApp({ sandboxOf: t.sandbox, env: { LOG_LEVEL: 'warn' } });
    try {
      await quiet.http
        .get('/v1/groups')
        .set('authorization', user.authorization)
        .set('x-request-id', 'quiet-200')
        .expect(200);
      t.sandbox.control.setFault({ op: 'list', mode: 'http-status', status: 500, times: 1 });
      await quiet.http
        .get('/v1/groups')
        .set('authorization', user.authorization)
        .set('x-request-id', 'quiet-502')
        .expect(502);
      const entries = quiet.logs.entries();
      expect(entries.filter((entry) => (entry.level as number) < 40)).toEqual([]);
      // Its own lines, in its own destination: the warning and the failed request's line.
      expect(entries.filter((entry) => entry.requestId === 'quiet-502').map((entry) => entry.level)).toEqual([40, 50]);
    } finally {
      await quiet.close();
    }
  });

  it('write a line for a request the client abandoned before its answer', async () => {
    t.sandbox.control.setFault({ op: 'list', mode: 'hang', times: 1 });
    const listsBefore = t.sandbox.control.stats().requests.list;
    // A raw client that can hang up mid-request needs a listening server.
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const abandoned = httpRequest({
      host: '127.0.0.1',
      port,
      path: '/v1/groups',
      headers: { authorization: user.authorization, 'x-request-id': 'obs-gone' },
    });
    abandoned.on('error', () => undefined);
    abandoned.end();
    await waitFor(() => t.sandbox.control.stats().requests.list > listsBefore, 5000, 'the upstream call');
    abandoned.destroy();
    await waitFor(
      () => t.logs.entries().some((entry) => entry.requestId === 'obs-gone'),
      5000,
      'the abandoned request line',
    );
    expect(t.logs.entries().find((entry) => entry.requestId === 'obs-gone')).toMatchObject({
      level: 30,
      msg: 'GET /v1/groups aborted by the client',
      req: { method: 'GET', path: '/v1/groups' },
      route: '/v1/groups',
    });
  });
});

describe('GET /metrics', () => {
  let text: string;
  beforeAll(async () => {
    const response = await t.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    text = response.text;
  });

  it('has request duration by route template, method and status, never raw paths', () => {
    expect(text).toMatch(
      /groups_bff_http_request_duration_seconds_count\{method="GET",route="\/v1\/groups\/:id",status_code="200"\} \d+/,
    );
    expect(text).toMatch(
      /groups_bff_http_request_duration_seconds_count\{method="GET",route="\/v1\/groups",status_code="502"\} 1/,
    );
    expect(text).not.toContain(`/v1/groups/${groupId}"`);
  });

  it('has DeepCall calls by operation and outcome', () => {
    expect(text).toMatch(/groups_bff_deepcall_request_duration_seconds_count\{operation="add",outcome="success"\} 1/);
    expect(text).toMatch(
      /groups_bff_deepcall_request_duration_seconds_count\{operation="list",outcome="success"\} \d+/,
    );
  });

  it('has session cache hits, misses and logins', () => {
    expect(text).toMatch(/groups_bff_session_events_total\{event="miss"\} 1/);
    expect(text).toMatch(/groups_bff_session_events_total\{event="login"\} 1/);
    expect(text).toMatch(/groups_bff_session_events_total\{event="hit"\} [2-9]/);
  });

  it('has the circuit state and the process defaults', () => {
    expect(text).toMatch(/groups_bff_deepcall_circuit_state 0/);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('security at the edge', () => {
  it('sends helmet headers and no X-Powered-By', async () => {
    const response = await t.http.get('/health/live');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('can switch Swagger UI off', async () => {
    const noDocs = await startTestApp({ sandboxOf: t.sandbox, env: { DOCS_ENABLED: 'false' } });
    try {
      await noDocs.http.get('/docs').expect(404);
      await noDocs.http.get('/docs-json').expect(404);
    } finally {
      await noDocs.close();
    }
  });
});
