import type { Span } from '@opentelemetry/api';
import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';
import { LatencyHistogram } from './latency-histogram.js';
import { METRIC } from './metric-names.js';

/** Requests served, by route template (never the raw path), method and status. */
@Injectable()
export class HttpMetrics {
  private readonly duration: LatencyHistogram<'method' | 'route' | 'status_code'>;

  constructor(registry: Registry) {
    this.duration = new LatencyHistogram(registry, {
      name: METRIC.httpDuration,
      help: 'HTTP requests served, by route template, method and status',
      labelNames: ['method', 'route', 'status_code'],
    });
  }

  /** `span`: the request's server span, the exemplar (read only when exemplars are on). */
  record(method: string, route: string, statusCode: number, durationMs: number, span?: Span): void {
    const exemplar = this.duration.exemplars ? span?.spanContext() : undefined;
    this.duration.observe({ method, route, status_code: String(statusCode) }, durationMs / 1000, exemplar);
  }
}
