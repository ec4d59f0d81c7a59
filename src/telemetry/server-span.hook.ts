import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { attachSpan, endRequestSpan } from './request-span.js';
import { traceResponse } from './trace-response.js';
import { tracer } from './tracer.js';
import { redactedQuery } from './url-query.js';
import { pathOf } from '../core/request/request-path.js';

// The HTTP semantic conventions name other methods `_OTHER`, so a made-up method cannot
// become a span name or attribute value of its own.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/**
 * One server span per request, named `METHOD /route/template`: it continues the caller's trace
 * when its traceparent is valid (W3C Trace Context, through the registered propagator), else
 * starts one. Every answer names it in `traceresponse`.
 */
export function registerServerSpans(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    startServerSpan(request, reply);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    endRequestSpan(request.raw, (span) => {
      const status = reply.statusCode;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // A server span fails on a 5xx only: a 4xx is the caller's mistake, not this service's.
      if (status >= 500) {
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    });
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    endRequestSpan(request.raw, (span) => {
      span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client went away before its answer' });
    });
    done();
  });
}

/**
 * Starts the request's server span and names it in traceresponse; also called for the answers
 * the router makes before any hook runs (framework-answers.ts).
 */
export function startServerSpan(request: FastifyRequest, reply: FastifyReply): void {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const method = KNOWN_METHODS.has(request.method) ? request.method : '_OTHER';
  const route = request.routeOptions.url;
  const name = method === '_OTHER' ? 'HTTP' : method;
  const query = redactedQuery(request.url);
  const span = tracer.startSpan(
    route === undefined ? name : `${name} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_URL_PATH]: pathOf(request.url),
        [ATTR_URL_SCHEME]: request.protocol,
        ...(query !== undefined && { [ATTR_URL_QUERY]: query }),
        ...(route !== undefined && { [ATTR_HTTP_ROUTE]: route }),
      },
    },
    parent,
  );
  attachSpan(request.raw, span, parent);
  reply.header('traceresponse', traceResponse(span.spanContext()));
}
