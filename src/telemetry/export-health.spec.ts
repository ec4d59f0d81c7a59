import { describe, expect, it } from '@jest/globals';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { CountingSpanExporter, droppedSpans, queueFullCounting } from './export-health.js';

/** An exporter that answers only when told: a collector that hangs, then comes back. */
class HeldExporter implements SpanExporter {
  private readonly held: (() => void)[] = [];
  constructor(private readonly code = ExportResultCode.SUCCESS) {}
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.held.push(() => done({ code: this.code }));
  }
  release(): void {
    for (const done of this.held.splice(0)) done();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function endSpans(provider: TracerProvider, count: number): void {
  const tracer = provider.getTracer('test');
  for (let n = 0; n < count; n += 1) tracer.startSpan(`span ${n}`).end();
}

describe('the dropped-span counts', () => {
  it('count each span the full batch queue refuses, as it is refused', async () => {
    const exporter = new HeldExporter();
    const processor = new BatchSpanProcessor({
      exporter,
      selfObsMeterProvider: queueFullCounting(),
      maxQueueSize: 4,
      maxExportBatchSize: 4,
      scheduledDelayMillis: 60_000,
    });
    const provider = new TracerProvider({ spanProcessors: [processor] });
    const before = droppedSpans()['queue-full'];
    // 4 fill the queue and go to the (hanging) export; 4 more fill it again; the rest are refused.
    endSpans(provider, 20);
    expect(droppedSpans()['queue-full'] - before).toBe(12);
    exporter.release();
    await provider.shutdown();
    exporter.release();
  });

  it('count the spans of a failed export, and not those of a successful one', async () => {
    const failing = new HeldExporter(ExportResultCode.FAILED);
    const counted = new CountingSpanExporter(failing);
    const before = droppedSpans()['export-failed'];
    const results: ExportResult[] = [];
    counted.export([{} as ReadableSpan, {} as ReadableSpan], (result) => results.push(result));
    failing.release();
    expect(results).toEqual([{ code: ExportResultCode.FAILED }]);
    expect(droppedSpans()['export-failed'] - before).toBe(2);

    const working = new HeldExporter();
    new CountingSpanExporter(working).export([{} as ReadableSpan], () => undefined);
    working.release();
    expect(droppedSpans()['export-failed'] - before).toBe(2);
  });
});
