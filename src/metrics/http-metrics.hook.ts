import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpMetrics } from './http.metrics.js';

/** Observes every answer, errors and unknown routes included (those share one route label). */
export function registerHttpMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(HttpMetrics);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      metrics.record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime);
      done();
    });
}
