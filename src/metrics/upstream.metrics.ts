import { Injectable } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS, METRIC } from './metric-names.js';

/** DeepCall call latency and outcome, by operation. */
@Injectable()
export class UpstreamMetrics {
  private readonly duration: Histogram<'operation' | 'outcome'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: METRIC.upstreamDuration,
      help: 'DeepCall calls, by operation and outcome (success, code-NNNN, timeout, unreachable, ...)',
      labelNames: ['operation', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  record(operation: string, outcome: string, durationMs: number): void {
    this.duration.observe({ operation, outcome }, durationMs / 1000);
  }
}
