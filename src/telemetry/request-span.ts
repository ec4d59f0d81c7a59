import type { IncomingMessage } from 'node:http';
import { context, type Context, type Span, type SpanContext, trace } from '@opentelemetry/api';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace';

const SPAN = Symbol('serverSpan');

interface RequestSpan {
  span: Span;
  context: Context;
  ended: boolean;
}

type SpannedMessage = IncomingMessage & { [SPAN]?: RequestSpan };

/** Keeps the request's server span on the raw request, where every hook and answer can reach it. */
export function attachSpan(raw: IncomingMessage, span: Span, parent: Context): void {
  (raw as SpannedMessage)[SPAN] = { span, context: trace.setSpan(parent, span), ended: false };
}

/** The request's server span, until it ended. */
export function requestSpanOf(raw: IncomingMessage): Span | undefined {
  const held = (raw as SpannedMessage)[SPAN];
  return held && !held.ended ? held.span : undefined;
}

/** Ends the server span once (a response and an abort may both report the end). */
export function endRequestSpan(raw: IncomingMessage, finish: (span: Span) => void): void {
  const held = (raw as SpannedMessage)[SPAN];
  if (!held || held.ended) return;
  held.ended = true;
  finish(held.span);
  held.span.end();
}

/** Runs `next` with the request's server span active, so spans made inside are its children. */
export function runInRequestSpan<T>(raw: IncomingMessage, next: () => T): T {
  const held = (raw as SpannedMessage)[SPAN];
  return held ? context.with(held.context, next) : next();
}

const ids = new RandomIdGenerator();

/** The request's trace id; for an answer made before any span (Node's own refusals), a fresh one. */
export function traceIdOf(raw: IncomingMessage | undefined): string {
  const held = raw && (raw as SpannedMessage)[SPAN];
  return held ? held.span.spanContext().traceId : ids.generateTraceId();
}

/** `trace_id` and `span_id` of the request's server span, for lines written outside its context. */
export function traceFieldsOf(raw: IncomingMessage): { trace_id?: string; span_id?: string } {
  const held = (raw as SpannedMessage)[SPAN];
  if (!held) return {};
  const { traceId, spanId } = held.span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** The ids and flags of the request's server span, ended or not (for the latency exemplar). */
export function spanContextOf(raw: IncomingMessage): SpanContext | undefined {
  return (raw as SpannedMessage)[SPAN]?.span.spanContext();
}
