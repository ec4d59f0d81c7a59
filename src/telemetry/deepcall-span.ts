import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import { childTracer, startSpanWith } from './tracer.js';

/** What a DeepCall attempt's span says beyond the HTTP conventions. */
export const DEEPCALL_ATTRIBUTES = {
  operation: 'deepcall.operation',
  attempt: 'deepcall.attempt',
  /** The error code of DeepCall's envelope (its `code`), when it sent one. */
  code: 'deepcall.code',
} as const;

/**
 * One client span per attempt (`POST /api/v2/group/list`), a child of the active span, and the
 * headers that carry it (traceparent with this span as parent, the inbound tracestate). Only the
 * URL without a query, the method and the attempt are recorded: never the body, which carries
 * the token.
 */
export function startDeepcallSpan(
  operation: string,
  baseUrl: URL,
  path: string,
  attempt: number,
  headers: Record<string, string>,
): Span {
  const span = startSpanWith(childTracer(), `POST ${path}`, { kind: SpanKind.CLIENT }, () =>
    attemptAttributes(operation, baseUrl, path, attempt),
  );
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return span;
}

function attemptAttributes(operation: string, url: URL, path: string, attempt: number) {
  // As axios joins them: the base URL's own path (if any) comes first.
  const fullPath = `${url.pathname.replace(/\/$/, '')}${path}`;
  return {
    [ATTR_HTTP_REQUEST_METHOD]: 'POST',
    [ATTR_SERVER_ADDRESS]: url.hostname,
    [ATTR_SERVER_PORT]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    [ATTR_URL_FULL]: `${url.origin}${fullPath}`,
    [DEEPCALL_ATTRIBUTES.operation]: operation,
    [DEEPCALL_ATTRIBUTES.attempt]: attempt,
    ...(attempt > 1 && { [ATTR_HTTP_REQUEST_RESEND_COUNT]: attempt - 1 }),
  };
}

export function recordDeepcallStatus(span: Span, httpStatus: number): void {
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, httpStatus);
}

/** Ends the attempt's span: `outcome` is the metrics' outcome (`success`, `timeout`, `code-1503`…). */
export function endDeepcallSpan(span: Span, outcome: string, upstreamCode: number | undefined): void {
  if (upstreamCode !== undefined) span.setAttribute(DEEPCALL_ATTRIBUTES.code, upstreamCode);
  if (outcome !== 'success') {
    span.setAttribute(ATTR_ERROR_TYPE, outcome);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** The breaker refused a call (no attempt ran): an event on the span that wanted it. */
export function recordCircuitRefusal(operation: string): void {
  trace.getActiveSpan()?.addEvent('deepcall.circuit_open', { [DEEPCALL_ATTRIBUTES.operation]: operation });
}
