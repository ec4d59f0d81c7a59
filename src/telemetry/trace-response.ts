import type { SpanContext } from '@opentelemetry/api';

/**
 * The `traceresponse` header (W3C Trace Context Level 2): version 00, the trace id, the server
 * span's id (where the caller's trace continues in this service) and the sampling flags.
 */
export function traceResponse({ traceId, spanId, traceFlags }: SpanContext): string {
  return `00-${traceId}-${spanId}-${traceFlags & 1 ? '01' : '00'}`;
}
