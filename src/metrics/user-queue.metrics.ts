import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS, METRIC } from './metric-names.js';

/** Each user's upstream calls beyond USER_MAX_CONCURRENT_CALLS: how many wait, for how long, how many are refused. */
@Injectable()
export class UserQueueMetrics {
  private readonly queued: Gauge;
  private readonly waited: Histogram<'outcome'>;
  private readonly refused: Counter;

  constructor(registry: Registry) {
    this.queued = new Gauge({
      name: METRIC.userQueueCalls,
      help: "Upstream calls waiting in their user's queue for a slot, all users together",
      registers: [registry],
    });
    this.waited = new Histogram({
      name: METRIC.userQueueWait,
      help: 'Time calls waited in their user queue, by outcome (started, deadline)',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    // Both outcomes are exported from the start, at zero, so dashboards and alerts see the series.
    for (const outcome of ['started', 'deadline']) this.waited.zero({ outcome });
    this.refused = new Counter({
      name: METRIC.userQueueRefused,
      help: "Calls refused (429) because their user's queue was full",
      registers: [registry],
    });
  }

  enqueued(): void {
    this.queued.inc();
  }

  left(outcome: 'started' | 'deadline', waitedMs: number): void {
    this.queued.dec();
    this.waited.observe({ outcome }, waitedMs / 1000);
  }

  refusal(): void {
    this.refused.inc();
  }
}
