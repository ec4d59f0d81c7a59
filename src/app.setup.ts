import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorCodes, type FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { AppConfig } from './config/app-config.js';
import { frameworkAnswerOptions, MAX_URL_LENGTH, registerFrameworkAnswers } from './core/http/framework-answers.js';
import { registerSecurityHeaders } from './core/http/security-headers.hook.js';
import { NestPinoLogger } from './core/logging/nest-pino.logger.js';
import { registerRequestLog } from './core/logging/request-log.hook.js';
import { ROOT_LOGGER } from './core/logging/root-logger.js';
import { setupSwagger } from './core/openapi/swagger.setup.js';
import { runInRequestContext } from './core/request/request-context.js';
import { requestIdFor } from './core/request/request-id.js';
import { traceOf } from './core/request/request-trace.js';
import { closeConnectionsOnceStoppedAccepting, refuseRequestsWhileClosing } from './lifecycle/closing-answers.hook.js';
import { ShutdownState } from './lifecycle/shutdown-state.js';
import { registerHttpMetrics } from './metrics/http-metrics.hook.js';
import { runInRequestSpan } from './telemetry/request-span.js';
import { registerServerSpans } from './telemetry/server-span.hook.js';

const BODY_LIMIT_BYTES = 16 * 1024;

/** The HTTP server's settings; shared by server.ts and the tests. */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    requestIdHeader: false,
    trustProxy: trustedHops(config.http.trustProxyHops),
    // As long as a URL may be, so an over-long {id} is read and refused as a 400 (or the URL as a 414).
    routerOptions: { maxParamLength: MAX_URL_LENGTH },
    ...frameworkAnswerOptions(config.http.requestTimeoutMs),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Its bare-JSON 503 would pre-empt the problem+json one of refuseRequestsWhileClosing.
    return503OnClosing: false,
    // Above the idle timeout of common gateways and load balancers (60 s), so the gateway, not
    // this server, closes idle connections: otherwise a request can race the close.
    keepAliveTimeout: 75_000,
  });
}

// TRUST_PROXY counts the proxies (the gateway) in front of us; unset trusts none.
function trustedHops(hops: number | undefined) {
  return hops === undefined ? false : (_address: string, hop: number) => hop < hops;
}

/** Everything between "module built" and "listening"; shared by server.ts and the tests. */
export async function configureApp(
  app: NestFastifyApplication,
  config: AppConfig,
  { sandbox = false } = {},
): Promise<void> {
  const logger = app.get<PinoLogger>(ROOT_LOGGER);
  app.useLogger(new NestPinoLogger(logger));
  const fastify = app.getHttpAdapter().getInstance();

  const shutdown = app.get(ShutdownState);
  acceptJsonBodiesOnly(fastify);

  // The request's steps. Fastify runs hooks by kind (onRequest, preHandler, onSend, onResponse)
  // and, within a kind, in the order they are added here.
  // 0. onRequest (onResponse, onRequestAbort): the server span and its traceresponse header,
  //    first, so every answer and log line of the request names its trace.
  registerServerSpans(fastify);
  // 1. onRequest: the request id header and the route and client on the trace, first, so every
  //    later step and every answer (a 404 or a refused body included) has them.
  identifyRequest(fastify);
  // 2. onRequest: security headers on every answer, those refused before routing included.
  registerSecurityHeaders(fastify);
  // 3. onRequest: while the application closes, a 503 problem+json instead of the handler; after
  //    steps 1 and 2, so it carries the request id and the security headers.
  refuseRequestsWhileClosing(fastify, shutdown);
  // 4. onRequest: a URL over the limit is a 414, a known path with a method it does not serve a
  //    405 with Allow (answers Node and the router make before any hook are set up with the
  //    adapter: frameworkAnswerOptions).
  registerFrameworkAnswers(fastify, logger);
  // 5. onRequestAbort: the client went away, so its upstream failures do not count against
  //    DeepCall's circuit.
  noteAbandonedRequests(fastify);
  // 6. preHandler: the request context and the server span as the active one, last before the
  //    handler and after the body is read (the body stream's events would lose them), so guards,
  //    pipes and handlers all run inside.
  enterRequestContext(fastify);
  // 7. onSend: once the server stopped accepting, every answer closes its connection.
  closeConnectionsOnceStoppedAccepting(fastify, shutdown);
  // 8. onResponse (and onRequestAbort): the log line, from the trace the handler filled.
  registerRequestLog(fastify, logger);
  // 9. onResponse: the HTTP metrics, labelled with the route step 1 recorded.
  registerHttpMetrics(app);

  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.http.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      exposedHeaders: ['Location', 'X-Request-Id', 'Retry-After', 'Idempotent-Replayed', 'ETag', 'traceresponse'],
      maxAge: 600,
    });
  }
  if (config.http.docsEnabled) setupSwagger(app, { publicBaseUrl: config.http.publicBaseUrl, sandbox });
}

// Bodies are JSON only: a text/plain body is a 415, not a string handed to validation. A JSON
// merge patch (RFC 7396) is what PATCH is, so it is accepted there and only there (a 415 elsewhere).
function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, (request, body, done) => {
    if (request.method !== 'PATCH') {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('application/merge-patch+json'), undefined);
      return;
    }
    void json(request, body as string, done); // parseAs: string; it answers through done
  });
}

function identifyRequest(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const trace = traceOf(request.raw);
    trace.route = request.routeOptions.url;
    trace.clientIp = request.ip;
    done();
  });
}

function noteAbandonedRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequestAbort', (request, done) => {
    traceOf(request.raw).abandoned = true;
    done();
  });
}

function enterRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request, _reply, done) =>
    runInRequestSpan(request.raw, () => runInRequestContext(request, done)),
  );
}
