import { Registry, type RegistryContentType } from 'prom-client';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export interface Exposition {
  contentType: RegistryContentType;
  body: string;
}

const CONTENT_TYPE: Record<ExpositionFormat, RegistryContentType> = {
  prometheus: Registry.PROMETHEUS_CONTENT_TYPE,
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
};

/**
 * The one registry rendered in either text format, chosen per scrape. prom-client keeps the
 * format on the registry, and its OpenMetrics rendering renames every counter in place (drops
 * `_total`, which it appends to the samples only): so renders take turns, and each one gives the
 * metrics back the names they had, and the classic format keeps its names.
 */
export class MetricsExposition {
  private turn: Promise<unknown> = Promise.resolve();
  private readonly registry: Registry<RegistryContentType>;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  render(format: ExpositionFormat): Promise<Exposition> {
    const rendered = this.turn.then(() => this.renderNow(format));
    this.turn = rendered.catch(() => undefined);
    return rendered;
  }

  private async renderNow(format: ExpositionFormat): Promise<Exposition> {
    const contentType = CONTENT_TYPE[format];
    const metrics = this.registry.getMetricsAsArray();
    const names = metrics.map((metric) => metric.name);
    this.registry.setContentType(contentType);
    try {
      return { contentType, body: await this.registry.metrics() };
    } finally {
      metrics.forEach((metric, index) => (metric.name = names[index]));
    }
  }
}
