import { context, trace } from '@opentelemetry/api';

/**
 * pino's mixin: `trace_id` and `span_id` (the names of OpenTelemetry's log data model) of the
 * span active where the line is written; nothing outside a request.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
