import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { HttpMetrics } from './http.metrics.js';
import { REQUEST_PLUMBING } from '../core/request/request-plumbing.plugin.js';

/** Observes every answer, errors and unknown routes included (those share one route label). */
const httpMetricsHook: FastifyPluginCallback<{ metrics: HttpMetrics }> = (fastify, { metrics }, done) => {
  fastify.addHook('onResponse', (request, reply, next) => {
    const context = request.requestContext;
    // The route template the context recorded (Fastify builds routeOptions anew per read).
    metrics.record(request.method, context?.route ?? 'unmatched', reply.statusCode, reply.elapsedTime, context?.span);
    next();
  });
  done();
};

export const httpMetricsPlugin = fp(httpMetricsHook, {
  name: 'groups-bff-http-metrics',
  dependencies: [REQUEST_PLUMBING],
});
