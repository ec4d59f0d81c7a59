import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { pathOf } from '../request/request-path.js';
import { traceOf } from '../request/request-trace.js';
import { traceFieldsOf } from '../../telemetry/request-span.js';

const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * One JSON line per request (method, path, status, duration, request id, route template, client
 * address, DeepCall calls made), none for probes. An `onResponse` hook, so the line is written
 * for every answer, those made before the request context exists (see app.setup.ts) included.
 * Lines written while serving a request carry its `requestId`, `trace_id` and `span_id` explicitly
 * (they are written outside the request's context).
 */
export function registerRequestLog(fastify: FastifyInstance, root: PinoLogger): void {
  // Every field of these lines is built below from known values, none a credential, so they skip
  // the key-name redaction the root logger applies to everything else (2–3% of the hot path).
  const logger = root.child({}, { redact: [] });
  fastify.addHook('onResponse', (request, reply, done) => {
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
    done();
  });
  // The client went away before its answer: no response line would be written otherwise.
  fastify.addHook('onRequestAbort', (request, done) => {
    const path = pathOf(request.url);
    if (!QUIET_PATHS.has(path))
      logger.info(requestFields(request, path), `${request.method} ${path} aborted by the client`);
    done();
  });
}

function requestFields(request: FastifyRequest, path: string): Record<string, unknown> {
  const trace = traceOf(request.raw);
  return {
    requestId: request.id,
    ...traceFieldsOf(request.raw),
    req: { method: request.method, path },
    route: trace.route,
    clientIp: trace.clientIp,
    upstream: trace.upstream,
  };
}
