import type { SpanContext } from '@opentelemetry/api';
import { Histogram, type LabelValues, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from './metric-names.js';
import { exemplarOf, traceExemplarsEnabled } from '../telemetry/trace-exemplar.js';

/**
 * A latency histogram (seconds) whose observations carry the trace as an OpenMetrics exemplar
 * (`trace_id`, `span_id`) when spans are exported and the span was sampled. With export off it is
 * a plain histogram: no exemplar storage, and callers skip looking up the span (`exemplars`).
 */
export class LatencyHistogram<T extends string> {
  readonly exemplars = traceExemplarsEnabled();
  private readonly histogram: Histogram<T>;

  constructor(registry: Registry, config: { name: string; help: string; labelNames: readonly T[] }) {
    this.histogram = new Histogram({
      ...config,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
      enableExemplars: this.exemplars,
    });
  }

  observe(labels: LabelValues<T>, seconds: number, span?: SpanContext): void {
    if (!this.exemplars) {
      this.histogram.observe(labels, seconds);
      return;
    }
    // Exemplar labels are not the metric's labels, but prom-client types them alike.
    const exemplarLabels = (exemplarOf(span) ?? {}) as LabelValues<T>;
    this.histogram.observe({ labels, value: seconds, exemplarLabels });
  }
}
