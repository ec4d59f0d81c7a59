import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from './config/app-config.js';
import { registerSecurityHeaders } from './core/http/security-headers.hook.js';
import { NestPinoLogger } from './core/logging/nest-pino.logger.js';
import { registerRequestLog } from './core/logging/request-log.hook.js';
import { ROOT_LOGGER } from './core/logging/root-logger.js';
import { setupSwagger } from './core/openapi/swagger.setup.js';
import { requestIdFor } from './core/request/request-id.js';
import { traceOf } from './core/request/request-trace.js';
import { registerClosingAnswers } from './lifecycle/closing-answers.hook.js';
import { ShutdownState } from './lifecycle/shutdown-state.js';
import { registerHttpMetrics } from './metrics/http-metrics.hook.js';

export const BODY_LIMIT_BYTES = 16 * 1024;

/** The HTTP server's settings; shared by main.ts and the tests. */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    requestIdHeader: false,
    trustProxy: trustedHops(config.http.trustProxyHops),
    // Long enough that an over-long {id} is read and refused as a 400, not an unknown route.
    routerOptions: { maxParamLength: 2048 },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Its bare-JSON 503 would pre-empt the problem+json one of registerClosingAnswers.
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

/** Everything between "module built" and "listening"; shared by main.ts and the tests. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const logger = app.get(ROOT_LOGGER);
  app.useLogger(new NestPinoLogger(logger));
  const fastify = app.getHttpAdapter().getInstance();

  // Bodies are JSON only: a text/plain body is a 415, not a string handed to validation.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const trace = traceOf(request.raw);
    trace.route = request.routeOptions.url;
    trace.clientIp = request.ip;
    done();
  });
  registerSecurityHeaders(fastify);
  registerRequestLog(fastify, logger);
  registerHttpMetrics(app);
  registerClosingAnswers(fastify, app.get(ShutdownState));

  if (config.http.corsOrigins.length > 0) {
    app.enableCors({ origin: [...config.http.corsOrigins], methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'], exposedHeaders: ['Location', 'X-Request-Id', 'Retry-After', 'Idempotent-Replayed'], maxAge: 600 });
  }
  if (config.http.docsEnabled) setupSwagger(app, config.http.publicBaseUrl);
}
