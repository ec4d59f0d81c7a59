import { type SpanContext, trace } from '@opentelemetry/api';

/** What a span link to a joined call says it joined. */
export const JOINED_ATTRIBUTE = 'groups_bff.joined';

/** The active span's context: kept by a call others may join, so they can link to it. */
export function activeSpanContext(): SpanContext | undefined {
  return trace.getActiveSpan()?.spanContext();
}

/** A span link from the active span to the span of the call it joined (a coalesced read, a shared login). */
export function linkToJoinedCall(joined: SpanContext | undefined, what: string): void {
  const span = trace.getActiveSpan();
  if (!joined || !span || span.spanContext().spanId === joined.spanId) return;
  span.addLink({ context: joined, attributes: { [JOINED_ATTRIBUTE]: what } });
}
