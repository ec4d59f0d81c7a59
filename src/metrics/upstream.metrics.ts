import { Injectable } from '@nestjs/common';
import { type Span, trace } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { LatencyHistogram } from './latency-histogram.js';
import { METRIC } from './metric-names.js';

/** DeepCall call latency and outcome, by operation. */
@Injectable()
export class UpstreamMetrics {
  private readonly duration: LatencyHistogram<'operation' | 'outcome'>;

  constructor(registry: Registry) {
    this.duration = new LatencyHistogram(registry, {
      name: METRIC.upstreamDuration,
      help: 'DeepCall calls, by operation and outcome (success, code-NNNN, timeout, unreachable, ...)',
      labelNames: ['operation', 'outcome'],
    });
  }

  /**
   * `span`: the attempt's client span, the exemplar when exemplars are on; without one (a call
   * refused before any attempt ran) the active span, the request's.
   */
  record(operation: string, outcome: string, durationMs: number, span?: Span): void {
    const exemplar = this.duration.exemplars ? (span ?? trace.getActiveSpan())?.spanContext() : undefined;
    this.duration.observe({ operation, outcome }, durationMs / 1000, exemplar);
  }
}
