import { context as otelContext } from '@opentelemetry/api';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';
import { RequestContext, runInRequestContext } from './request-context.js';
import { pathOf } from './request-path.js';
import { abandonServerSpan, endServerSpan, type ServerSpan, startServerSpan } from '../../telemetry/server-span.js';
import { traceResponse } from '../../telemetry/trace-response.js';

/** The plugin's name: the hooks that read `request.requestContext` declare it as a dependency. */
export const REQUEST_PLUMBING = 'groups-bff-request-plumbing';

declare module 'fastify' {
  interface FastifyRequest {
    /** Made at onRequest by the request plumbing; null only for an answer the router made before any hook. */
    requestContext: RequestContext | null;
  }
}

interface TracedContext extends RequestContext {
  /** The OpenTelemetry context in which the server span is active. */
  readonly traceContext: ServerSpan['context'];
}

const CONTEXT = Symbol('requestContext');

type MessageWithContext = IncomingMessage & { [CONTEXT]?: RequestContext };

/**
 * The request plumbing: first of the request's hooks (everything later reads what it made).
 * - onRequest: the request context (id, route, client, arrival, server span), the X-Request-Id and
 *   traceresponse headers, then the rest of the request entered in the context;
 * - preValidation: the context entered again, since the body stream's events lose it (as
 *   @fastify/request-context documents), so guards, pipes and handlers all run inside it;
 * - onRequestAbort / onResponse: the request marked abandoned, the server span ended.
 */
const plumbing: FastifyPluginCallback = (fastify, _options, done) => {
  fastify.decorateRequest('requestContext', null);
  fastify.addHook('onRequest', (request, reply, next) => {
    const context = openRequestContext(request, reply);
    otelContext.with(context.traceContext, () => runInRequestContext(context, next));
  });
  fastify.addHook('preValidation', (request, _reply, next) => {
    const context = request.requestContext as TracedContext;
    otelContext.with(context.traceContext, () => runInRequestContext(context, next));
  });
  // Every answer has a context (the router's own answers open one too); a missing one is no crash.
  fastify.addHook('onRequestAbort', (request, next) => {
    const context = request.requestContext;
    if (context) {
      context.abandoned = true;
      abandonServerSpan(context.span);
    }
    next();
  });
  fastify.addHook('onResponse', (request, reply, next) => {
    const span = request.requestContext?.span;
    if (span) endServerSpan(span, reply.statusCode);
    next();
  });
  done();
};

export const requestPlumbing = fp(plumbing, { name: REQUEST_PLUMBING, fastify: '5.x' });

/**
 * Makes the request's context (once) and names it on the answer; also called for the answers the
 * router makes before any hook runs (framework-answers.ts).
 */
export function openRequestContext(request: FastifyRequest, reply: FastifyReply): RequestContext & TracedContext {
  if (request.requestContext) return request.requestContext as TracedContext;
  const route = request.routeOptions.url;
  const server = startServerSpan(request, route, pathOf(request.url));
  const context: TracedContext = {
    requestId: request.id,
    receivedAt: performance.now(),
    route,
    clientIp: request.ip,
    span: server.span,
    traceContext: server.context,
    upstream: [],
    abandoned: false,
  };
  request.requestContext = context;
  (request.raw as MessageWithContext)[CONTEXT] = context;
  reply.header('x-request-id', request.id);
  reply.header('traceresponse', traceResponse(server.span.spanContext()));
  return context;
}

/** The context of a request Node itself answers (a 408 of a body that never came), if it was made. */
export function requestContextOfMessage(raw: IncomingMessage): RequestContext | undefined {
  return (raw as MessageWithContext)[CONTEXT];
}
