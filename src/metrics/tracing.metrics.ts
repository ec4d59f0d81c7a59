import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { METRIC } from './metric-names.js';
import { type DropReason, droppedSpans } from '../telemetry/export-health.js';

const REASONS: DropReason[] = ['export-failed', 'queue-full'];

/** Spans the trace export lost (collector down, failing or too slow to keep the queue short). */
@Injectable()
export class TracingMetrics {
  constructor(registry: Registry) {
    // The counts are kept per process by the exporter; each scrape adds what is new.
    const seen: Record<DropReason, number> = { ...droppedSpans() };
    new Counter({
      name: METRIC.traceSpansDropped,
      help: 'Spans not exported: the export failed, or the queue was full',
      labelNames: ['reason'],
      registers: [registry],
      collect(this: Counter<'reason'>) {
        const now = droppedSpans();
        for (const reason of REASONS) {
          this.inc({ reason }, now[reason] - seen[reason]);
          seen[reason] = now[reason];
        }
      },
    });
  }
}
