// The span helpers at our own ports, recorded by the SDK's in-memory exporter: names, kinds,
// attributes, parents, links, and that no secret reaches a span. Real HTTP where HTTP is involved.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import Fastify, { type FastifyInstance } from 'fastify';
import { Cluster, Redis, ReplyError } from 'ioredis';
import type { AddressInfo } from 'node:net';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { endDeepcallSpan, recordDeepcallStatus, startDeepcallSpan } from './deepcall-span.js';
import { errorTypeOf, INTERNAL_ATTRIBUTES, inInternalSpan } from './internal-span.js';
import { redisTargetOf, sendInRedisSpan } from './redis-span.js';
import { currentRequest } from '../core/request/request-context.js';
import { requestPlumbing } from '../core/request/request-plumbing.plugin.js';
import { JOINED_ATTRIBUTE } from './span-links.js';
import { startSpanWith, tracer } from './tracer.js';
import { redactedQuery } from './url-query.js';
import { recordSpans } from '../../test/support/recorded-spans.js';
import { SingleFlight } from '../core/single-flight.js';
import { ProblemError } from '../core/problem/problem.error.js';

// What must never appear in a span: a token, a sealed record, an idempotency key, a query secret.
const SECRETS = {
  token: 'tok-9f8e7d6c5b4a',
  sealed: 'sealed-record-1a2b3c4d',
  idempotencyKey: 'idem-key-77e1c0ffee',
  queryToken: 'qs-secret-5566778899',
};

const { finished, named, parentOf, reset } = recordSpans(Object.values(SECRETS), { atLeast: 10 });

/** The context of a caller whose traceparent says its trace is not sampled (flags 00). */
const unsampledCaller = () =>
  propagation.extract(ROOT_CONTEXT, {
    traceparent: `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-00`,
    tracestate: 'vendor=opaque',
  });

describe('a span given its attributes once recorded', () => {
  it('builds them once for a recorded span, which has them', () => {
    let built = 0;
    const attributes = () => {
      built += 1;
      return { 'deepcall.operation': 'list' };
    };
    startSpanWith(tracer, 'recorded', {}, attributes, ROOT_CONTEXT).end();
    expect(built).toBe(1);
    expect(named('recorded')[0].attributes).toEqual({ 'deepcall.operation': 'list' });
  });

  it('never builds them for a span that is not recorded', () => {
    let built = 0;
    const attributes = () => {
      built += 1;
      return {};
    };
    const span = startSpanWith(tracer, 'dropped', {}, attributes, unsampledCaller());
    span.end();
    expect(span.isRecording()).toBe(false);
    expect(built).toBe(0);
    expect(finished()).toEqual([]);
  });
});

describe('a DeepCall attempt span', () => {
  it('is a CLIENT child of the active span, whose traceparent carries it, without the body', () => {
    const headers: Record<string, string> = {};
    tracer.startActiveSpan('parent', (parent) => {
      const span = startDeepcallSpan(
        'list',
        new URL('http://deepcall.test:8080/base/'),
        '/api/v2/group/list',
        2,
        headers,
      );
      recordDeepcallStatus(span, 200);
      endDeepcallSpan(span, 'code-1015', 1015);
      parent.end();
    });
    const [client] = named('POST /api/v2/group/list');
    const [parent] = named('parent');
    expect(client.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(client)).toBe(parent.spanContext().spanId);
    expect(client.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': 'deepcall.test',
      'server.port': 8080,
      'url.full': 'http://deepcall.test:8080/base/api/v2/group/list',
      'deepcall.operation': 'list',
      'deepcall.attempt': 2,
      'http.request.resend_count': 1,
      'http.response.status_code': 200,
      'deepcall.code': 1015,
      'error.type': 'code-1015',
    });
    expect(client.status.code).toBe(SpanStatusCode.ERROR);
    expect(headers.traceparent).toBe(`00-${client.spanContext().traceId}-${client.spanContext().spanId}-01`);
  });

  it('in a trace the caller did not sample, carries the trace on and records nothing', () => {
    const unsampled = unsampledCaller();
    const headers: Record<string, string> = {};
    const span = context.with(trace.setSpan(unsampled, tracer.startSpan('request', {}, unsampled)), () =>
      startDeepcallSpan('list', new URL('http://deepcall.test/'), '/api/v2/group/list', 1, headers),
    );
    endDeepcallSpan(span, 'success', undefined);
    expect(span.isRecording()).toBe(false);
    expect(headers.traceparent).toBe(`00-${'ab'.repeat(16)}-${span.spanContext().spanId}-00`);
    expect(span.spanContext().spanId).not.toBe('cd'.repeat(8));
    expect(headers.tracestate).toBe('vendor=opaque');
    expect(finished()).toEqual([]);
  });
});

describe('the server span', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = Fastify();
    await app.register(requestPlumbing);
    app.get('/v1/groups/:id', (request, reply) => {
      // As the request plumbing runs the handlers: inside the request's context and span.
      if (currentRequest()) tracer.startSpan('inside').end();
      reply.code(Number((request.query as { status?: string }).status ?? 200)).send({ ok: true });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  const until = async (name: string) => {
    for (let tries = 0; named(name).length === 0 && tries < 200; tries += 1)
      await new Promise((resolve) => setImmediate(resolve));
    return named(name);
  };

  it('is named by the route template, continues the caller’s trace, records the query without values not ours', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(
      `${url}/v1/groups/42?limit=5&name=Sales%20team&access_token=${SECRETS.queryToken}&${SECRETS.queryToken}`,
      { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
    );
    expect(response.status).toBe(200);
    const [server] = await until('GET /v1/groups/:id');
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.spanContext().traceId).toBe(traceId);
    expect(parentOf(server)).toBe('00f067aa0ba902b7');
    expect(server.attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/v1/groups/:id',
      'url.path': '/v1/groups/42',
      'url.scheme': 'http',
      'url.query': 'limit=5&name=Sales%20team&access_token=REDACTED&REDACTED',
      'http.response.status_code': 200,
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    expect(parentOf(named('inside')[0])).toBe(server.spanContext().spanId);
    expect(response.headers.get('traceresponse')).toBe(`00-${traceId}-${server.spanContext().spanId}-01`);
  });

  it('fails on a 5xx only, with error.type', async () => {
    await fetch(`${url}/v1/groups/1?status=503`);
    const [failed] = await until('GET /v1/groups/:id');
    expect(failed.attributes).toMatchObject({ 'http.response.status_code': 503, 'error.type': '503' });
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    reset();
    await fetch(`${url}/v1/groups/1?status=404`);
    const [refused] = await until('GET /v1/groups/:id');
    expect(refused.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused.attributes['error.type']).toBeUndefined();
  });
});

describe('url.query', () => {
  it('keeps our parameters as sent and redacts every other value', () => {
    expect(redactedQuery('/v1/groups')).toBeUndefined();
    expect(redactedQuery('/v1/groups?')).toBe('');
    expect(redactedQuery('/v1/groups?cursor=abc&quick=true&forward=false')).toBe('cursor=abc&quick=true&forward=false');
    expect(redactedQuery('/v1/groups?sig=x&na%6De=y&%E0%A4%A=z&&ssid')).toBe(
      'sig=REDACTED&na%6De=y&%E0%A4%A=REDACTED&&REDACTED',
    );
  });
});

describe('a span link', () => {
  it('goes from a call that joined another’s in-flight call to the span that started it', async () => {
    const shared = new SingleFlight('login');
    let finish!: (value: string) => void;
    const running = new Promise<string>((resolve) => (finish = resolve));
    const first = tracer.startActiveSpan('first', (span) => shared.run('k', () => running).finally(() => span.end()));
    const second = tracer.startActiveSpan('second', (span) => shared.run('k', () => running).finally(() => span.end()));
    finish('done');
    expect(await Promise.all([first, second])).toEqual(['done', 'done']);
    const [starter] = named('first');
    const [joiner] = named('second');
    expect(starter.links).toEqual([]);
    expect(joiner.links).toEqual([
      expect.objectContaining({ context: starter.spanContext(), attributes: { [JOINED_ATTRIBUTE]: 'login' } }),
    ]);
  });
});

describe('a Redis command span', () => {
  const target = redisTargetOf(new Redis('redis://127.0.0.1:6390/2', { lazyConnect: true }));

  it('names the server of a standalone Redis, none of a Cluster’s nodes', () => {
    expect(target).toEqual({ 'server.address': '127.0.0.1', 'server.port': 6390, 'db.namespace': '2' });
    expect(redisTargetOf(new Cluster([{ host: '127.0.0.1', port: 7000 }], { lazyConnect: true }))).toEqual({});
  });

  it('is a CLIENT child named by the command, with the database conventions and no arguments', async () => {
    const answer = await tracer.startActiveSpan('request', async (parent) => {
      const value = await sendInRedisSpan('GETEX', target, async () => SECRETS.sealed);
      parent.end();
      return value;
    });
    expect(answer).toBe(SECRETS.sealed);
    const [redis] = named('GETEX');
    expect(redis.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(redis)).toBe(named('request')[0].spanContext().spanId);
    expect(redis.attributes).toEqual({
      'db.system.name': 'redis',
      'db.operation.name': 'GETEX',
      'server.address': '127.0.0.1',
      'server.port': 6390,
      'db.namespace': '2',
    });
    expect(redis.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('is made only inside a trace', async () => {
    await context.with(trace.deleteSpan(context.active()), () => sendInRedisSpan('PING', target, async () => 'PONG'));
    expect(finished()).toEqual([]);
  });

  it('is not made in a trace the caller did not sample, where nothing would record it', async () => {
    const unsampled = unsampledCaller();
    const request = tracer.startSpan('request', {}, unsampled);
    const answer = await context.with(trace.setSpan(unsampled, request), () =>
      sendInRedisSpan('GET', target, async () => 'value'),
    );
    request.end();
    expect(answer).toBe('value');
    expect(request.isRecording()).toBe(false);
    expect(finished()).toEqual([]);
  });

  it('records an error reply by its prefix, never its message; a refusal that is no Error is an answer', async () => {
    await tracer.startActiveSpan('request', async (parent) => {
      const reply = new ReplyError(`WRONGTYPE Operation against a key holding ${SECRETS.sealed}`);
      await expect(sendInRedisSpan('SET', target, () => Promise.reject(reply as Error))).rejects.toBe(reply);
      // rate-limiter-flexible rejects a consume over the limit with its result, not an Error.
      const refusal = new RateLimiterRes(0, 1000);
      await expect(sendInRedisSpan('EVALSHA', target, () => rejectWith(refusal))).rejects.toBe(refusal);
      parent.end();
    });
    const [set] = named('SET');
    expect(set.attributes).toMatchObject({ 'db.response.status_code': 'WRONGTYPE', 'error.type': 'WRONGTYPE' });
    expect(set.status.code).toBe(SpanStatusCode.ERROR);
    expect(named('EVALSHA')[0].status.code).toBe(SpanStatusCode.UNSET);
  });
});

describe('an internal span', () => {
  it('is the parent of the DeepCall spans made inside it, and fails with error.type', async () => {
    const failure = Object.assign(new Error('DeepCall did not answer in time'), { failure: 'timeout' });
    await tracer.startActiveSpan('request', async (parent) => {
      await expect(
        inInternalSpan(
          'session.exchange',
          async () => {
            endDeepcallSpan(
              startDeepcallSpan('login', new URL('http://deepcall.test'), '/login', 1, {}),
              'timeout',
              undefined,
            );
            throw failure;
          },
          { attributes: { [INTERNAL_ATTRIBUTES.sessionTrigger]: 'create' } },
        ),
      ).rejects.toBe(failure);
      parent.end();
    });
    const [exchange] = named('session.exchange');
    expect(exchange.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(exchange)).toBe(named('request')[0].spanContext().spanId);
    expect(parentOf(named('POST /login')[0])).toBe(exchange.spanContext().spanId);
    expect(exchange.attributes).toEqual({ 'groups_bff.session.trigger': 'create', 'error.type': 'timeout' });
    expect(exchange.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('leaves an answer (the caller’s 4xx) unfailed', async () => {
    const refusal = new ProblemError('idempotencyKeyReused');
    await expect(inInternalSpan('x', () => Promise.reject(refusal), { isAnswer: () => true })).rejects.toBe(refusal);
    expect(named('x')[0].status.code).toBe(SpanStatusCode.UNSET);
    expect(named('x')[0].attributes['error.type']).toBeUndefined();
  });

  it('names errors by kind, failure or code, never by message', () => {
    expect(errorTypeOf(new ProblemError('idempotencyOutcomeUnknown'))).toBe('idempotencyOutcomeUnknown');
    expect(errorTypeOf(Object.assign(new Error(SECRETS.token), { failure: 'unreachable' }))).toBe('unreachable');
    expect(errorTypeOf(Object.assign(new Error(SECRETS.token), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(errorTypeOf(new TypeError(SECRETS.token))).toBe('TypeError');
    expect(errorTypeOf(SECRETS.token)).toBe('_OTHER');
  });
});

/** A rejection with what a library rejects with (not always an Error). */
function rejectWith(reason: unknown): Promise<never> {
  return new Promise((_resolve, reject) => reject(reason));
}
