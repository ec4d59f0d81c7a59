// What keeps a slow, down or failing collector from costing the service anything visible: spans
// it loses are counted (groups_bff_trace_spans_dropped_total: failed exports, and spans the full
// queue refused), and the SDK's complaints about it are written at most once a minute. The queue
// itself is the SDK's batch processor's, bounded by OTEL_BSP_MAX_QUEUE_SIZE.
import {
  type Counter,
  createNoopMeter,
  type DiagLogger,
  DiagLogLevel,
  diag,
  type Meter,
  type MeterProvider,
} from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

export type DropReason = 'export-failed' | 'queue-full';

const dropped: Record<DropReason, number> = { 'export-failed': 0, 'queue-full': 0 };

/** Spans lost since the process started, by reason. */
export function droppedSpans(): Readonly<Record<DropReason, number>> {
  return dropped;
}

/** The OTLP exporter, counting the spans of every export that failed (collector down, 5xx, timeout). */
export class CountingSpanExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) dropped['export-failed'] += spans.length;
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

// The batch processor's own count of the spans it processed (semantic conventions, still in
// development there, so the name is kept here rather than imported from the incubating entry).
const SPANS_PROCESSED = 'otel.sdk.processor.span.processed';
const QUEUE_FULL = 'queue_full';

/**
 * For the batch processor's `selfObsMeterProvider`: it reports every span its full queue refused,
 * at once, as `otel.sdk.processor.span.processed` with `error.type` `queue_full`; those are
 * counted here. Every other instrument it asks for is a no-op.
 */
export function queueFullCounting(): MeterProvider {
  const noop = createNoopMeter();
  const processed: Counter = {
    add(count, attributes) {
      if (attributes?.[ATTR_ERROR_TYPE] === QUEUE_FULL) dropped['queue-full'] += count;
    },
  };
  const meter = Object.assign(Object.create(noop) as Meter, {
    createCounter: (name: string) => (name === SPANS_PROCESSED ? processed : noop.createCounter(name)),
  });
  return { getMeter: () => meter };
}

const WARNING_INTERVAL_MS = 60_000;

/**
 * OpenTelemetry's own diagnostics, as JSON lines on stderr: warnings and errors only, at most one
 * a minute (a collector that is down would otherwise write one per export), with the count of
 * those held back.
 */
export class ThrottledDiagLogger implements DiagLogger {
  private lastWrittenAt = -Infinity;
  private heldBack = 0;

  constructor(private readonly write: (line: string) => void = (line) => process.stderr.write(line)) {}

  error(message: string, ...args: unknown[]): void {
    this.report(50, message, args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.report(40, message, args);
  }

  info(): void {}
  debug(): void {}
  verbose(): void {}

  private report(level: number, message: string, args: unknown[]): void {
    const now = performance.now();
    if (now - this.lastWrittenAt < WARNING_INTERVAL_MS) {
      this.heldBack += 1;
      return;
    }
    this.lastWrittenAt = now;
    const detail = args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ');
    const msg = `OpenTelemetry: ${message}${detail ? ` ${detail}` : ''}`;
    const line = { level, time: Date.now(), msg, ...(this.heldBack > 0 && { heldBack: this.heldBack }) };
    this.heldBack = 0;
    this.write(`${JSON.stringify(line)}\n`);
  }
}

/** Installs the throttled logger, unless the operator asked for the SDK's own (OTEL_LOG_LEVEL). */
export function throttleDiagnostics(): void {
  if (process.env.OTEL_LOG_LEVEL === undefined) diag.setLogger(new ThrottledDiagLogger(), DiagLogLevel.WARN);
}
