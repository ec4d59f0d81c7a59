import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { ReceivedSpan } from '../support/otlp-receiver.js';
import { exportFixture } from '../support/export-fixture.js';
import type { ServiceProcess } from '../support/service-process.js';
import { newLogin, testRedisUrl } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { freePort } from '../../scripts/private-redis.mjs';

// Export by the standard OTEL_* variables, end to end: the built service (`node dist/main.js`)
// sends its spans over OTLP/HTTP to a real receiver, while it calls the sandbox over HTTP.
const SPAN_KIND = { internal: 1, server: 2, client: 3 };
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;

const fixture = exportFixture({ LOG_LEVEL: 'info', OTEL_BSP_SCHEDULE_DELAY: '50' });
const { serviceWith } = fixture;

const waitForSpans = (traceId: string, done: (spans: ReceivedSpan[]) => boolean) =>
  waitFor(
    () => done(fixture.receiver.trace(traceId)),
    10_000,
    `the spans of trace ${traceId} (undecodable exports: ${fixture.receiver.errors.join('; ') || 'none'})`,
  ).then(() => fixture.receiver.trace(traceId));

describe('with OTEL_EXPORTER_OTLP_ENDPOINT set (http/protobuf, the default)', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await serviceWith({ OTEL_EXPORTER_OTLP_ENDPOINT: fixture.receiver.url });
  });

  it('exports one connected trace: server span → DeepCall client spans → the traceparent DeepCall saw', async () => {
    const user = newLogin(fixture.sandbox);
    fixture.sandbox.control.resetStats();
    const response = await fetch(`${service.url}/v1/groups`, {
      headers: {
        authorization: user.authorization,
        traceparent: TRACEPARENT,
        tracestate: 'vendor=v1',
        'x-request-id': 'export-1',
      },
    });
    expect(response.status).toBe(200);
    const spans = await waitForSpans(TRACE_ID, (got) => got.some((span) => span.kind === SPAN_KIND.server));
    const server = spans.filter((span) => span.kind === SPAN_KIND.server);
    expect(server).toHaveLength(1);
    expect(server[0]).toMatchObject({
      name: 'GET /v1/groups',
      parentSpanId: 'b7ad6b7169203331',
      encoding: 'protobuf',
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/v1/groups',
        'url.path': '/v1/groups',
        'http.response.status_code': 200,
      },
      resource: { 'service.name': 'groups-bff' },
    });
    expect(response.headers.get('traceresponse')).toBe(`00-${TRACE_ID}-${server[0].spanId}-01`);

    const clients = spans.filter((span) => span.kind === SPAN_KIND.client);
    expect(clients.length).toBeGreaterThanOrEqual(2); // the login check, then the list
    // The Basic login on demand is the session exchange's; the list is the request's own.
    const exchange = spans.find((span) => span.name === 'session.exchange');
    expect(exchange).toMatchObject({
      parentSpanId: server[0].spanId,
      attributes: { 'groups_bff.session.trigger': 'basic' },
    });
    const childrenOf = (parent: ReceivedSpan) => clients.filter((client) => client.parentSpanId === parent.spanId);
    expect([childrenOf(exchange!).length, childrenOf(server[0]).length]).toEqual([1, clients.length - 1]);
    for (const client of clients) {
      expect(client.name).toMatch(/^POST \/\S+$/);
      expect(client.attributes).toMatchObject({
        'http.request.method': 'POST',
        'server.address': '127.0.0.1',
        'http.response.status_code': 200,
        'deepcall.attempt': 1,
      });
    }
    // Each attempt's span is the parent DeepCall saw, and the tracestate went with it.
    const seen = fixture.sandbox.control.traceHeaders();
    expect(seen.map((h) => h.traceparent).sort()).toEqual(clients.map((c) => `00-${TRACE_ID}-${c.spanId}-01`).sort());
    expect(seen.map((h) => h.tracestate)).toEqual(seen.map(() => 'vendor=v1'));

    // Every log line of the request names the trace.
    await waitFor(() => service.output().includes('"requestId":"export-1"'), 5_000, 'the request’s log line');
    const lines = service
      .output()
      .split('\n')
      .filter((line) => line.includes('"requestId":"export-1"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line.trace_id).toBe(TRACE_ID);
  });

  it('records a retry as two attempt spans and a DeepCall error code as deepcall.code', async () => {
    const user = newLogin(fixture.sandbox);
    await fetch(`${service.url}/v1/groups`, { headers: { authorization: user.authorization } });
    fixture.sandbox.control.setFault({ op: 'list', mode: 'http-status', times: 1 });
    const traceId = 'aaaabbbbccccddddeeeeffff00001111';
    const response = await fetch(`${service.url}/v1/groups`, {
      headers: { authorization: user.authorization, traceparent: `00-${traceId}-1111222233334444-01` },
    });
    expect(response.status).toBe(200);
    const spans = await waitForSpans(traceId, (got) => got.some((span) => span.kind === SPAN_KIND.server));
    const lists = spans.filter((span) => span.kind === SPAN_KIND.client && span.name.endsWith('/list'));
    expect(lists.map((span) => span.attributes['deepcall.attempt']).sort()).toEqual([1, 2]);
    const failed = lists.find((span) => span.attributes['deepcall.attempt'] === 1)!;
    expect(failed.status.code).toBe(2); // ERROR
    expect(failed.attributes['error.type']).toEqual(expect.any(String));
    expect(
      lists.find((span) => span.attributes['deepcall.attempt'] === 2)!.attributes['http.request.resend_count'],
    ).toBe(1);

    fixture.sandbox.control.setFault({ op: 'list', mode: 'error-code', code: 1015, times: 1 });
    const codeTrace = 'aaaabbbbccccddddeeeeffff00002222';
    await fetch(`${service.url}/v1/groups`, {
      headers: { authorization: user.authorization, traceparent: `00-${codeTrace}-1111222233334444-01` },
    });
    const coded = await waitForSpans(codeTrace, (got) => got.some((span) => span.kind === SPAN_KIND.server));
    expect(coded.filter((span) => span.attributes['deepcall.code'] === 1015).length).toBeGreaterThanOrEqual(1);
  });

  it('links a read that joined another’s in-flight call to the request that made it', async () => {
    const user = newLogin(fixture.sandbox);
    await fetch(`${service.url}/v1/groups`, { headers: { authorization: user.authorization } }); // the login
    fixture.sandbox.control.setFault({ op: 'list', mode: 'delay', delayMs: 300, times: 1 });
    const [first, second] = ['11', '22'].map((n) => n.repeat(16));
    const read = (traceId: string) =>
      fetch(`${service.url}/v1/groups`, {
        headers: { authorization: user.authorization, traceparent: `00-${traceId}-${'3'.repeat(16)}-01` },
      });
    const starter = read(first);
    await waitFor(() => fixture.sandbox.control.stats().inFlight > 0, 5_000, 'the first read at DeepCall');
    expect((await Promise.all([starter, read(second)])).map((response) => response.status)).toEqual([200, 200]);
    const [made] = await waitForSpans(first, (got) => got.some((span) => span.kind === SPAN_KIND.server));
    const [joined] = await waitForSpans(second, (got) => got.some((span) => span.kind === SPAN_KIND.server));
    const madeServer = fixture.receiver.trace(first).find((span) => span.kind === SPAN_KIND.server)!;
    const joinedServer = fixture.receiver.trace(second).find((span) => span.kind === SPAN_KIND.server)!;
    expect(made && joined).toBeTruthy();
    expect(joinedServer.links).toEqual([{ traceId: first, spanId: madeServer.spanId }]);
    // The joiner made no DeepCall call of its own.
    expect(fixture.receiver.trace(second).filter((span) => span.kind === SPAN_KIND.client)).toEqual([]);
  });

  it('never exports a secret: tokens, Basic credentials, session ids', async () => {
    const user = newLogin(fixture.sandbox);
    const login = await fetch(`${service.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01` },
      body: JSON.stringify({ userId: user.userId, token: user.token }),
    });
    expect(login.status).toBe(201);
    const { sessionId } = (await login.json()) as { sessionId: string };
    const traceId = 'e'.repeat(32);
    await fetch(`${service.url}/v1/groups`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sessionId}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${'f'.repeat(16)}-01`,
      },
      body: JSON.stringify({ name: 'Traced group' }),
    });
    await fetch(`${service.url}/v1/groups?limit=5`, { headers: { authorization: user.authorization } });
    await waitForSpans(traceId, (got) => got.some((span) => span.kind === SPAN_KIND.server));
    await waitForSpans('c'.repeat(32), (got) => got.some((span) => span.kind === SPAN_KIND.server));
    const secrets = [user.token, sessionId, user.authorization.slice('Basic '.length), 'Bearer ', 'Basic '];
    const everything =
      JSON.stringify(fixture.receiver.spans) + Buffer.concat(fixture.receiver.bodies).toString('latin1');
    expect(secrets.filter((secret) => everything.includes(secret))).toEqual([]);
  });

  it('sends what is still queued when the service shuts down', async () => {
    const queued = await serviceWith({
      OTEL_EXPORTER_OTLP_ENDPOINT: fixture.receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    const traceId = '1234567890abcdef1234567890abcdef';
    expect(
      (await fetch(`${queued.url}/health/live`, { headers: { traceparent: `00-${traceId}-1234567890abcdef-01` } }))
        .status,
    ).toBe(200);
    queued.child.kill('SIGTERM');
    expect(await queued.exited).toBe(0);
    expect(fixture.receiver.trace(traceId).map((span) => span.name)).toEqual(['GET /health/live']);
  });
});

describe('with Redis: its commands, the session exchange, the idempotency lease and reconciliation', () => {
  const keyPrefix = `test-${randomUUID()}:`;
  const redisUrl = new URL(testRedisUrl());
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await serviceWith(
      { OTEL_EXPORTER_OTLP_ENDPOINT: fixture.receiver.url, REDIS_URL: redisUrl.href, REDIS_KEY_PREFIX: keyPrefix },
      'dependencies',
    );
    user = newLogin(fixture.sandbox);
  });

  const traced = (traceId: string, init: RequestInit & { headers?: Record<string, string> } = {}) => ({
    ...init,
    headers: { ...init.headers, traceparent: `00-${traceId}-${'a'.repeat(16)}-01` },
  });
  const withServer = (traceId: string) =>
    waitForSpans(traceId, (got) => got.some((span) => span.kind === SPAN_KIND.server));
  const redisSpansOf = (spans: ReceivedSpan[]) => spans.filter((span) => span.attributes['db.system.name'] === 'redis');
  const only = (spans: ReceivedSpan[], name: string) => {
    const found = spans.filter((span) => span.name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };
  let user: ReturnType<typeof newLogin>;
  let sessionId = '';
  const idempotencyKey = randomUUID();

  const createGroup = (traceId: string, name: string, key: string) =>
    fetch(
      `${service.url}/v1/groups`,
      traced(traceId, {
        method: 'POST',
        headers: { authorization: `Bearer ${sessionId}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ name }),
      }),
    );

  it('POST /v1/sessions: session.exchange, with the login’s DeepCall span and the Redis commands as its children', async () => {
    const traceId = '5e55101e'.repeat(4);
    const response = await fetch(
      `${service.url}/v1/sessions`,
      traced(traceId, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: user.userId, token: user.token }),
      }),
    );
    expect(response.status).toBe(201);
    ({ sessionId } = (await response.json()) as { sessionId: string });
    const spans = await withServer(traceId);
    const server = only(spans, 'POST /v1/sessions');
    const exchange = only(spans, 'session.exchange');
    expect(exchange).toMatchObject({
      kind: SPAN_KIND.internal,
      parentSpanId: server.spanId,
      attributes: { 'groups_bff.session.trigger': 'create' },
      status: {},
    });
    const logins = spans.filter((span) => span.kind === SPAN_KIND.client && span.attributes['deepcall.operation']);
    expect(logins.length).toBeGreaterThanOrEqual(1);
    for (const login of logins) expect(login.parentSpanId).toBe(exchange.spanId);
    // The new session is written in the exchange: SET (the record) and MULTI (the account's index).
    const commands = redisSpansOf(spans).filter((span) => span.parentSpanId === exchange.spanId);
    expect(commands.map((span) => span.name)).toEqual(expect.arrayContaining(['SET', 'MULTI']));
  });

  it('a Bearer list: its Redis commands are children of the server span, with the database conventions and no arguments', async () => {
    const traceId = 'b0a7e5ed'.repeat(4);
    const response = await fetch(
      `${service.url}/v1/groups?limit=5`,
      traced(traceId, { headers: { authorization: `Bearer ${sessionId}` } }),
    );
    expect(response.status).toBe(200);
    const spans = await withServer(traceId);
    const server = only(spans, 'GET /v1/groups');
    expect(server.attributes['url.query']).toBe('limit=5');
    const commands = redisSpansOf(spans);
    expect(commands.map((span) => span.name)).toContain('GETEX'); // the session, read and slid
    for (const command of commands) {
      expect(command).toMatchObject({ kind: SPAN_KIND.client, parentSpanId: server.spanId });
      expect(command.attributes).toEqual({
        'db.system.name': 'redis',
        'db.operation.name': command.name,
        'server.address': redisUrl.hostname,
        'server.port': Number(redisUrl.port),
        'db.namespace': '0',
      });
    }
  });

  it('records url.query with the values of parameters not ours redacted, even on a refused request', async () => {
    const traceId = '9ae7e5ed'.repeat(4);
    const response = await fetch(
      `${service.url}/v1/groups?name=Sales&access_token=${user.token}&${sessionId}`,
      traced(traceId, { headers: { authorization: `Bearer ${sessionId}` } }),
    );
    expect(response.status).toBe(400); // an unknown parameter
    const server = only(await withServer(traceId), 'GET /v1/groups');
    expect(server.attributes['url.query']).toBe('name=Sales&access_token=REDACTED&REDACTED');
  });

  it('an idempotent create: idempotency.lease, acquired then replayed, with the write’s spans as its children', async () => {
    const [first, again] = ['1ea5e001', '1ea5e002'].map((id) => id.repeat(4));
    expect((await createGroup(first, 'Leased', idempotencyKey)).status).toBe(201);
    const replay = await createGroup(again, 'Leased', idempotencyKey);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const spans = await withServer(first);
    const lease = only(spans, 'idempotency.lease');
    expect(lease).toMatchObject({
      kind: SPAN_KIND.internal,
      parentSpanId: only(spans, 'POST /v1/groups').spanId,
      attributes: { 'groups_bff.lease.outcome': 'acquired' },
    });
    const add = spans.find((span) => span.attributes['deepcall.operation'] === 'add')!;
    expect(add.parentSpanId).toBe(lease.spanId);
    // The lease itself: SET … NX, then the record written beside it.
    expect(redisSpansOf(spans).filter((span) => span.parentSpanId === lease.spanId).length).toBeGreaterThanOrEqual(2);
    const replayed = only(await withServer(again), 'idempotency.lease');
    expect(replayed.attributes['groups_bff.lease.outcome']).toBe('replayed');
  });

  it('a retry after a write that may have landed: idempotency.reconcile inside the lease, its read as its child', async () => {
    const key = randomUUID();
    fixture.sandbox.control.setFault({ op: 'add', mode: 'http-status', status: 500, times: 1 });
    expect((await createGroup('0dd00001'.repeat(4), 'Reconciled', key)).status).toBe(502);
    const traceId = '0dd00002'.repeat(4);
    expect((await createGroup(traceId, 'Reconciled', key)).status).toBe(201);
    const spans = await withServer(traceId);
    const lease = only(spans, 'idempotency.lease');
    const reconcile = only(spans, 'idempotency.reconcile');
    expect(reconcile).toMatchObject({
      kind: SPAN_KIND.internal,
      parentSpanId: lease.spanId,
      attributes: { 'groups_bff.reconcile.outcome': 'not-landed' },
    });
    const reads = spans.filter((span) => span.parentSpanId === reconcile.spanId && span.kind === SPAN_KIND.client);
    expect(reads.map((span) => span.attributes['deepcall.operation'])).toContain('list');
    expect(lease.attributes['groups_bff.lease.outcome']).toBe('acquired');
  });

  it('exports no secret: no token, session id, idempotency key, Redis key or stored value', async () => {
    expect(sessionId).not.toBe('');
    const redis = new Redis(redisUrl.href);
    try {
      const storeKeys = await redis.keys(`${keyPrefix}*`);
      const values = await Promise.all(storeKeys.map((key) => redis.get(key).catch(() => null)));
      // Counters hold small numbers, which any span may contain by chance: records and keys are long.
      const stored = [...storeKeys, ...values].filter((value): value is string => value !== null && value.length >= 16);
      expect(stored.length).toBeGreaterThan(3); // the session, its index, the idempotency records
      const secrets = [user.token, sessionId, idempotencyKey, keyPrefix, ...stored];
      const everything =
        JSON.stringify(fixture.receiver.spans) + Buffer.concat(fixture.receiver.bodies).toString('latin1');
      expect(secrets.filter((secret) => everything.includes(secret))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});

describe('with OTEL_EXPORTER_OTLP_PROTOCOL=http/json and OTEL_SERVICE_NAME', () => {
  it('exports JSON under the given name', async () => {
    const service = await serviceWith({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${fixture.receiver.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'groups-bff-json',
    });
    const traceId = 'abcdef0123456789abcdef0123456789';
    await fetch(`${service.url}/health/live`, { headers: { traceparent: `00-${traceId}-abcdef0123456789-01` } });
    const [span] = await waitForSpans(traceId, (got) => got.length > 0);
    expect(span).toMatchObject({
      name: 'GET /health/live',
      encoding: 'json',
      resource: { 'service.name': 'groups-bff-json' },
    });
  });
});

describe('with OTEL_SDK_DISABLED=true', () => {
  it('exports nothing, yet still propagates the trace', async () => {
    const service = await serviceWith({ OTEL_EXPORTER_OTLP_ENDPOINT: fixture.receiver.url, OTEL_SDK_DISABLED: 'true' });
    const traceId = '99999999999999999999999999999999';
    const response = await fetch(`${service.url}/health/live`, {
      headers: { traceparent: `00-${traceId}-9999999999999999-01` },
    });
    expect(response.headers.get('traceresponse')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0); // the shutdown would have flushed a queue
    expect(fixture.receiver.trace(traceId)).toEqual([]);
  });
});

describe('a collector that is down, answers 500 or hangs', () => {
  const failing: Server[] = [];
  afterAll(() => Promise.all(failing.map((server) => new Promise((resolve) => server.close(resolve)))));

  async function collector(answer: 'status-500' | 'hang'): Promise<string> {
    const server = createServer((req, res) => {
      req.resume();
      if (answer === 'status-500') req.on('end', () => res.writeHead(500).end());
    });
    failing.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const endpoints: Record<string, () => Promise<string>> = {
    down: async () => `http://127.0.0.1:${await freePort()}`,
    'answering 500': () => collector('status-500'),
    hanging: () => collector('hang'),
  };

  it.each(Object.keys(endpoints))('(%s) costs the requests nothing; the lost spans are counted', async (name) => {
    const service = await serviceWith({
      OTEL_EXPORTER_OTLP_ENDPOINT: await endpoints[name](),
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
    });
    const started = performance.now();
    const statuses = [];
    for (let n = 0; n < 40; n += 1) statuses.push((await fetch(`${service.url}/health/live`)).status);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5_000); // 40 probes: never one export's wait
    const dropped = async () => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      return Number(/^groups_bff_trace_spans_dropped_total\{reason="export-failed"\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    await waitFor(async () => (await dropped()) > 0, 10_000, 'a count of dropped spans');
    const warnings = service
      .output()
      .split('\n')
      .filter((line) => line.includes('"msg":"OpenTelemetry:'));
    expect(warnings.length).toBeLessThanOrEqual(1); // at most one a minute
  });
});
