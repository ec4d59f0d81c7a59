import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { METRIC } from './metric-names.js';

export type SessionEvent = 'hit' | 'miss' | 'login' | 'relogin' | 'store-unavailable';

/** Session cache hits and misses, and the upstream logins they cost. */
@Injectable()
export class SessionMetrics {
  private readonly events: Counter<'event'>;

  constructor(registry: Registry) {
    this.events = new Counter({
      name: METRIC.sessionEvents,
      help: 'Session cache hits and misses, and upstream logins',
      labelNames: ['event'],
      registers: [registry],
    });
  }

  count(event: SessionEvent): void {
    this.events.inc({ event });
  }
}
