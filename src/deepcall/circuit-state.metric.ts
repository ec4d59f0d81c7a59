import { Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { UpstreamResilience } from './upstream-resilience.js';
import { METRIC } from '../metrics/metric-names.js';

/** 0 closed, 1 open, 2 half-open (cockatiel's numbering), read when Prometheus scrapes. */
@Injectable()
export class CircuitStateMetric {
  constructor(registry: Registry, resilience: UpstreamResilience) {
    new Gauge({
      name: METRIC.circuitState,
      help: 'DeepCall circuit breaker: 0 closed, 1 open, 2 half-open',
      registers: [registry],
      collect() {
        this.set(resilience.breaker.state);
      },
    });
  }
}
