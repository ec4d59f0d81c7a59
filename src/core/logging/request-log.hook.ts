import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger as PinoLogger } from 'pino';
import { pathOf } from '../request/request-path.js';
import { REQUEST_PLUMBING } from '../request/request-plumbing.plugin.js';
import { traceFieldsOf } from '../../telemetry/server-span.js';

const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * One JSON line per request (method, path, status, duration, request id, route template, client
 * address, DeepCall calls made), none for probes. An `onResponse` hook, so the line is written
 * for every answer, those made before the request context exists (see app.setup.ts) included.
 * Lines written while serving a request carry its `requestId`, `trace_id` and `span_id` explicitly
 * (they are written outside the request's context).
 */
const requestLog: FastifyPluginCallback<{ logger: PinoLogger }> = (fastify, { logger: root }, done) => {
  // Every field of these lines is built below from known values, none a credential, so they skip
  // the key-name redaction the root logger applies to everything else.
  const logger = root.child({}, { redact: [] });
  fastify.addHook('onResponse', (request, reply, next) => {
    const status = reply.statusCode;
    // A 4xx is the caller's business (info); a 5xx is ours or DeepCall's (error).
    const level = status >= 500 ? 'error' : 'info';
    const path = pathOf(request.url);
    if (!QUIET_PATHS.has(path) && logger.isLevelEnabled(level)) {
      const line = requestFields(request, path);
      line.res = { statusCode: status };
      line.responseTime = reply.elapsedTime;
      logger[level](line, `${request.method} ${path} ${status}`);
    }
    next();
  });
  // The client went away before its answer: no response line would be written otherwise.
  fastify.addHook('onRequestAbort', (request, next) => {
    const path = pathOf(request.url);
    if (!QUIET_PATHS.has(path))
      logger.info(requestFields(request, path), `${request.method} ${path} aborted by the client`);
    next();
  });
  done();
};

export const requestLogPlugin = fp(requestLog, { name: 'groups-bff-request-log', dependencies: [REQUEST_PLUMBING] });

function requestFields(request: FastifyRequest, path: string): Record<string, unknown> {
  const context = request.requestContext;
  return {
    requestId: request.id,
    ...(context && traceFieldsOf(context.span)),
    req: { method: request.method, path },
    route: context?.route,
    clientIp: context?.clientIp ?? request.ip,
    upstream: context?.upstream ?? [],
  };
}
