import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { Registry } from 'prom-client';
import { type ExpositionFormat, MetricsExposition } from './metrics-exposition.js';

/**
 * GET /metrics: Prometheus's classic text format, or OpenMetrics (the one with exemplars) to a
 * scraper whose Accept prefers `application/openmetrics-text`; kept out of the API document.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly exposition: MetricsExposition;

  constructor(registry: Registry) {
    this.exposition = new MetricsExposition(registry);
  }

  @Get()
  async scrape(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, body } = await this.exposition.render(formatFor(request));
    reply.header('vary', 'accept');
    reply.type(contentType);
    return body;
  }
}

/**
 * The Accept header's most preferred of the two (by q, then specificity). Types only: a scraper's
 * parameters (`version=1.0.0`, `escaping=...`) would otherwise keep a match from counting.
 */
function formatFor(request: FastifyRequest): ExpositionFormat {
  for (const type of new Negotiator(request).mediaTypes().map((name) => name.toLowerCase())) {
    if (type === 'application/openmetrics-text') return 'openmetrics';
    if (type === 'text/plain' || type === 'text/*' || type === '*/*') return 'prometheus';
  }
  return 'prometheus';
}
