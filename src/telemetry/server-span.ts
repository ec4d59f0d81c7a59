import {
  type Context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { FastifyRequest } from 'fastify';
import { startSpanWith, tracer } from './tracer.js';
import { redactedQuery } from './url-query.js';

// The HTTP semantic conventions name other methods `_OTHER`, so a made-up method cannot
// become a span name or attribute value of its own.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/** A request's server span and the context in which it is the active span. */
export interface ServerSpan {
  span: Span;
  context: Context;
}

/**
 * The server span of a request, named `METHOD /route/template`: it continues the caller's trace
 * when its traceparent is valid (W3C Trace Context, through the registered propagator), else
 * starts one.
 */
export function startServerSpan(request: FastifyRequest, route: string | undefined, path: string): ServerSpan {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const method = KNOWN_METHODS.has(request.method) ? request.method : '_OTHER';
  const name = method === '_OTHER' ? 'HTTP' : method;
  const span = startSpanWith(
    tracer,
    route === undefined ? name : `${name} ${route}`,
    { kind: SpanKind.SERVER },
    () => serverAttributes(request, method, route, path),
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

function serverAttributes(request: FastifyRequest, method: string, route: string | undefined, path: string) {
  const query = redactedQuery(request.url);
  return {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_PATH]: path,
    [ATTR_URL_SCHEME]: request.protocol,
    ...(query !== undefined && { [ATTR_URL_QUERY]: query }),
    ...(route !== undefined && { [ATTR_HTTP_ROUTE]: route }),
  };
}

/** Ends the server span with the answer's status; a second end (an abort after the answer) is ignored. */
export function endServerSpan(span: Span, status: number): void {
  if (!span.isRecording()) return;
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  // A server span fails on a 5xx only: a 4xx is the caller's mistake, not this service's.
  if (status >= 500) {
    span.setAttribute(ATTR_ERROR_TYPE, String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Ends the server span of a request whose client went away before its answer. */
export function abandonServerSpan(span: Span): void {
  if (!span.isRecording()) return;
  span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client went away before its answer' });
  span.end();
}

/** `trace_id` and `span_id` of a span, for lines written outside its context. */
export function traceFieldsOf(span: Span): { trace_id: string; span_id: string } {
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

const ids = new RandomIdGenerator();

/** A trace id for an answer made before any span existed (Node's own refusals). */
export function newTraceId(): string {
  return ids.generateTraceId();
}
