import { Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry, type RegistryContentType } from 'prom-client';
import { HttpMetrics } from './http.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { SessionMetrics } from './session.metrics.js';
import { TracingMetrics } from './tracing.metrics.js';
import { UpstreamMetrics } from './upstream.metrics.js';
import { UserQueueMetrics } from './user-queue.metrics.js';

/**
 * One registry per application (with the process defaults), served at GET /metrics in either
 * format (MetricsExposition). It is made an OpenMetrics one because prom-client lets only those
 * hold histograms with exemplars; each scrape sets the format it renders.
 */
function createRegistry(): Registry<RegistryContentType> {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
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
