import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { HttpMetrics } from './http.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { SessionMetrics } from './session.metrics.js';
import { UpstreamMetrics } from './upstream.metrics.js';

/** One registry per application (with the process defaults), served at GET /metrics. */
function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

// Global: every feature records metrics into this one registry, as Nest's guidance has it for
// cross-cutting singletons.
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: Registry, useFactory: createRegistry }, HttpMetrics, UpstreamMetrics, SessionMetrics],
  exports: [Registry, HttpMetrics, UpstreamMetrics, SessionMetrics],
})
export class MetricsModule {}
