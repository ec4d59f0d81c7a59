// What keeps a slow, down or failing collector from costing the service anything visible: spans
// it loses are counted (groups_bff_trace_spans_dropped_total), and the SDK's complaints about it
// are written at most once a minute. The queue itself is the SDK's, bounded by OTEL_BSP_MAX_QUEUE_SIZE.
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
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

const QUEUE_FULL = /^Dropped (\d+) spans because maxQueueSize reached/;
const WARNING_INTERVAL_MS = 60_000;

/**
 * OpenTelemetry's own diagnostics, as JSON lines on stderr: warnings and errors only, at most one
 * a minute (a collector that is down would otherwise write one per export), with the count of
 * those held back. The batch processor's report of a full queue is counted, too.
 */
export class ThrottledDiagLogger implements DiagLogger {
  private lastWrittenAt = -Infinity;
  private heldBack = 0;

  constructor(private readonly write: (line: string) => void = (line) => process.stderr.write(line)) {}

  error(message: string, ...args: unknown[]): void {
    this.report(50, message, args);
  }

  warn(message: string, ...args: unknown[]): void {
    const full = QUEUE_FULL.exec(message);
    if (full) dropped['queue-full'] += Number(full[1]);
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
