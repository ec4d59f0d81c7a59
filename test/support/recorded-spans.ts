import { afterAll, afterEach, beforeAll, expect } from '@jest/globals';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startTelemetry } from '../../src/telemetry/start-telemetry.js';

/**
 * For the unit tier: the service's tracer records into the SDK's in-memory exporter, each test
 * starts with none recorded, and after the file every span any test made, serialized whole, is
 * scanned for `secrets` (none may appear) — so a file that records nothing fails too.
 */
export function recordSpans(secrets: readonly string[], { atLeast = 1 } = {}) {
  const exporter = new InMemorySpanExporter();
  const finished = () => exporter.getFinishedSpans();
  const kept: unknown[] = [];
  const reset = () => {
    kept.push(...finished().map(serializable));
    exporter.reset();
  };
  beforeAll(async () => {
    await startTelemetry({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  });
  afterEach(reset);
  afterAll(() => {
    const everything = JSON.stringify(kept);
    expect(secrets.filter((secret) => everything.includes(secret))).toEqual([]);
    expect(kept.length).toBeGreaterThanOrEqual(atLeast);
  });
  return {
    finished,
    named: (name: string) => finished().filter((span) => span.name === name),
    parentOf: (span: ReadableSpan) => span.parentSpanContext?.spanId,
    /** Forgets what was recorded so far (kept for the final scan). */
    reset,
  };
}

function serializable(span: ReadableSpan) {
  const { name, kind, attributes, events, links, status, parentSpanContext } = span;
  return { name, kind, attributes, events, links, status, parent: parentSpanContext?.spanId };
}
