import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorCodes, type FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { AppConfig } from './config/app-config.js';
import { frameworkAnswerOptions, frameworkAnswersPlugin, MAX_URL_LENGTH } from './core/http/framework-answers.js';
import { securityHeadersPlugin } from './core/http/security-headers.hook.js';
import { NestPinoLogger } from './core/logging/nest-pino.logger.js';
import { requestLogPlugin } from './core/logging/request-log.hook.js';
import { ROOT_LOGGER } from './core/logging/root-logger.js';
import { setupSwagger } from './core/openapi/swagger.setup.js';
import { requestIdFor } from './core/request/request-id.js';
import { requestPlumbing } from './core/request/request-plumbing.plugin.js';
import { closingAnswersPlugin } from './lifecycle/closing-answers.hook.js';
import { ShutdownState } from './lifecycle/shutdown-state.js';
import { httpMetricsPlugin } from './metrics/http-metrics.hook.js';
import { HttpMetrics } from './metrics/http.metrics.js';

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

  // The request's hooks. Fastify runs them by kind (onRequest, preValidation, onSend, onResponse)
  // and, within a kind, in the order their plugins are registered here; a plugin that reads the
  // request context names the plumbing as its dependency, and Fastify refuses to start without it.
  await fastify.register(requestPlumbing);
  await fastify.register(securityHeadersPlugin);
  // After the two above, so a closing replica's 503 carries the request id and security headers.
  await fastify.register(closingAnswersPlugin, { state: shutdown });
  await fastify.register(frameworkAnswersPlugin, { logger });
  await fastify.register(requestLogPlugin, { logger });
  await fastify.register(httpMetricsPlugin, { metrics: app.get<HttpMetrics>(HttpMetrics) });

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
