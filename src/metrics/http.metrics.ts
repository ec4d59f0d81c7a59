import { Injectable } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS, METRIC } from './metric-names.js';

/** Requests served, by route template (never the raw path), method and status. */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: METRIC.httpDuration,
      help: 'HTTP requests served, by route template, method and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  }

  record(method: string, route: string, statusCode: number, durationMs: number): void {
    this.duration.observe({ method, route, status_code: String(statusCode) }, durationMs / 1000);
  }
}
