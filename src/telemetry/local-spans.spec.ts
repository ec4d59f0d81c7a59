// Propagation only (nothing exported, no processor): the Redis and internal spans are the API's
// non-recording spans, carrying the request span's ids, while the request span stays real.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { inInternalSpan } from './internal-span.js';
import { sendInRedisSpan } from './redis-span.js';
import { startTelemetry } from './start-telemetry.js';
import { tracer } from './tracer.js';

beforeAll(async () => {
  expect((await startTelemetry()).exporting).toBe(false);
});

describe('with propagation only', () => {
  it('makes local spans that record nothing and keep the request span’s ids', async () => {
    await tracer.startActiveSpan('request', async (request) => {
      expect(request.isRecording()).toBe(true);
      const inside = await inInternalSpan('session.exchange', async (span) => {
        expect(span.isRecording()).toBe(false);
        expect(span.spanContext()).toEqual(request.spanContext());
        return sendInRedisSpan('GET', {}, async () => trace.getActiveSpan()?.spanContext().spanId);
      });
      // What runs inside (a DeepCall span, a log line) still names the request's span.
      expect(inside).toBe(request.spanContext().spanId);
      request.end();
    });
  });
});
