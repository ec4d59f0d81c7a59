// Propagation only (nothing exported, no processor): every span is the API's non-recording span.
// The server and DeepCall spans get ids of their own in the caller's trace, with its flags and
// tracestate; the internal spans carry the span they run in.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { context, isSpanContextValid, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { inInternalSpan } from './internal-span.js';
import { sendInRedisSpan } from './redis-span.js';
import { startTelemetry } from './start-telemetry.js';
import { tracer } from './tracer.js';

beforeAll(async () => {
  expect((await startTelemetry()).exporting).toBe(false);
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const callerContext = (flags: string, tracestate?: string) =>
  propagation.extract(ROOT_CONTEXT, {
    traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-${flags}`,
    ...(tracestate && { tracestate }),
  });

describe('with propagation only', () => {
  it("continues the caller's trace in a span of its own, with the caller's flags and tracestate", () => {
    for (const flags of ['01', '00']) {
      const span = tracer.startSpan('GET /v1/groups', {}, callerContext(flags, 'vendor=opaque'));
      const ids = span.spanContext();
      expect(span.isRecording()).toBe(false);
      expect(ids.traceId).toBe(TRACE_ID);
      expect(ids.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(ids.spanId).not.toBe('00f067aa0ba902b7');
      expect(ids.traceFlags).toBe(flags === '01' ? TraceFlags.SAMPLED : TraceFlags.NONE);
      expect(ids.traceState?.serialize()).toBe('vendor=opaque');
      // And it is what travels on: the traceparent of a call made inside it names it.
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
      expect(carrier.traceparent).toBe(`00-${TRACE_ID}-${ids.spanId}-${flags}`);
    }
  });

  it('starts a new sampled trace without a caller, and a fresh span id each time', () => {
    const [first, second] = [tracer.startSpan('a', {}, ROOT_CONTEXT), tracer.startSpan('b', {}, ROOT_CONTEXT)];
    expect(isSpanContextValid(first.spanContext())).toBe(true);
    expect(first.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
    expect(first.spanContext().traceId).not.toBe(second.spanContext().traceId);
    const child = tracer.startSpan('child', {}, trace.setSpan(context.active(), first));
    expect(child.spanContext().traceId).toBe(first.spanContext().traceId);
    expect(child.spanContext().spanId).not.toBe(first.spanContext().spanId);
  });

  it('makes local spans that carry the span they run in', async () => {
    await tracer.startActiveSpan('request', async (request) => {
      expect(trace.getActiveSpan()).toBe(request);
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
