import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { RedisStateStore } from './redis-state.store.js';
import { StateStore } from './state-store.js';
import { SkipReason } from './store-gate.js';
import { METRIC } from '../metrics/metric-names.js';

const REASONS: readonly SkipReason[] = ['known-down', 'budget-spent'];

/** The store gate as Prometheus sees it, read when it scrapes (the in-process store is never down). */
@Injectable()
export class StoreGateMetrics {
  constructor(registry: Registry, store: StateStore) {
    const gate = store instanceof RedisStateStore ? store.gate : undefined;
    new Gauge({
      name: METRIC.storeKnownDown,
      help: 'Session store known down: 1 while its calls fail at once, until Redis answers a PING again',
      registers: [registry],
      collect() {
        this.set(gate?.knownDown ? 1 : 0);
      },
    });
    new Counter({
      name: METRIC.storeSkipped,
      help: 'Session store calls failed at once, without reaching Redis, by reason (known-down, budget-spent)',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        // The gate counts; the counter shows its totals.
        this.reset();
        for (const reason of REASONS) this.inc({ reason }, gate?.skipped[reason] ?? 0);
      },
    });
  }
}
