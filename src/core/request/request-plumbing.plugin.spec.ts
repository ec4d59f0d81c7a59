import { describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import Fastify from 'fastify';
import pino from 'pino';
import { currentRequest } from './request-context.js';
import { requestPlumbing } from './request-plumbing.plugin.js';
import { requestLogPlugin } from '../logging/request-log.hook.js';
import { startTelemetry } from '../../telemetry/start-telemetry.js';

describe('the request plumbing plugin', () => {
  it('is required by the hooks that read the request context: Fastify refuses to start without it', async () => {
    const fastify = Fastify();
    await expect(fastify.register(requestLogPlugin, { logger: pino({ enabled: false }) })).rejects.toThrow(
      /groups-bff-request-plumbing/,
    );
  });

  it('serves the handler inside the request context, entered again after the body was read', async () => {
    await startTelemetry();
    const fastify = Fastify({ genReqId: () => 'plumbed-1' });
    await fastify.register(requestPlumbing);
    fastify.post('/echo', async (request) => {
      await new Promise((resolve) => setImmediate(resolve));
      const context = currentRequest();
      return {
        requestId: context?.requestId,
        route: context?.route,
        sameContext: context === request.requestContext,
        activeSpan: trace.getActiveSpan()?.spanContext().spanId,
        contextSpan: context?.span.spanContext().spanId,
      };
    });
    const answer = await fastify.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    const body = answer.json<Record<string, unknown>>();
    expect(body).toMatchObject({ requestId: 'plumbed-1', route: '/echo', sameContext: true });
    expect(body.activeSpan).toBe(body.contextSpan);
    expect(answer.headers['x-request-id']).toBe('plumbed-1');
    expect(answer.headers.traceresponse).toMatch(new RegExp(`^00-[0-9a-f]{32}-${String(body.contextSpan)}-01$`));
    await fastify.close();
  });
});
