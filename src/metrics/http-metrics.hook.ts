import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpMetrics } from './http.metrics.js';
import { traceOf } from '../core/request/request-trace.js';

/** Observes every answer, errors and unknown routes included (those share one route label). */
export function registerHttpMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(HttpMetrics);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      // The route template the onRequest hook recorded (Fastify builds routeOptions anew per read).
      metrics.record(
        request.method,
        traceOf(request.raw).route ?? 'unmatched',
        reply.statusCode,
        reply.elapsedTime,
        request.raw,
      );
      done();
    });
}
