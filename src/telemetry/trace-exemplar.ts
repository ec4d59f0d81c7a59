import { type SpanContext, TraceFlags } from '@opentelemetry/api';

/** The labels of an OpenMetrics exemplar that names a span: `trace_id` and `span_id`. */
export type TraceExemplar = { trace_id: string; span_id: string };

let exported = false;

/** Called when the exporting SDK starts: from then on, sampled spans reach a backend. */
export function markTracesExported(): void {
  exported = true;
}

/**
 * Histograms carry exemplars only when spans are exported: in propagation-only mode no span
 * leaves the process, so an exemplar would name a trace nobody can open.
 */
export function traceExemplarsEnabled(): boolean {
  return exported;
}

/** The exemplar for a span, when it was sampled (an unsampled span is not exported either). */
export function exemplarOf(span: SpanContext | undefined): TraceExemplar | undefined {
  if (span === undefined || (span.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  return { trace_id: span.traceId, span_id: span.spanId };
}
