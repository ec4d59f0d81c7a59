import { Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { HttpMetrics } from './http.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { SessionMetrics } from './session.metrics.js';
import { TracingMetrics } from './tracing.metrics.js';
import { UpstreamMetrics } from './upstream.metrics.js';
import { UserQueueMetrics } from './user-queue.metrics.js';

/** One registry per application (with the process defaults), served at GET /metrics. */
function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

// Imported by each feature that records metrics; a static module, so all of them share this
// one instance and its registry.
@Module({
  controllers: [MetricsController],
  providers: [
    { provide: Registry, useFactory: createRegistry },
    HttpMetrics,
    UpstreamMetrics,
    SessionMetrics,
    UserQueueMetrics,
    TracingMetrics,
  ],
  exports: [Registry, HttpMetrics, UpstreamMetrics, SessionMetrics, UserQueueMetrics],
})
export class MetricsModule {}
