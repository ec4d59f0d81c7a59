import { type Attributes, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { localTracer, startSpanWith } from './tracer.js';

/** What the service's own internal spans say beyond their name. */
export const INTERNAL_ATTRIBUTES = {
  /** session.exchange: what asked for the login (`create`, `basic`, `renew`). */
  sessionTrigger: 'groups_bff.session.trigger',
  /** idempotency.lease: `acquired`, `replayed`, `busy` or `key-reused`. */
  leaseOutcome: 'groups_bff.lease.outcome',
  /** idempotency.reconcile: `landed`, `not-landed` or `ambiguous`. */
  reconcileOutcome: 'groups_bff.reconcile.outcome',
} as const;

export interface InternalSpanOptions {
  attributes?: Attributes;
  /** Errors that are an answer of the operation (the caller's 4xx), not its failure. */
  isAnswer?: (error: unknown) => boolean;
}

/**
 * Runs `work` in an INTERNAL span, active for what it calls (its DeepCall and Redis spans are its
 * children). A failure sets the span's status to ERROR with `error.type`.
 */
export function inInternalSpan<T>(
  name: string,
  work: (span: Span) => Promise<T>,
  { attributes, isAnswer }: InternalSpanOptions = {},
): Promise<T> {
  const span = startSpanWith(localTracer(), name, { kind: SpanKind.INTERNAL }, () => attributes ?? {});
  return context.with(trace.setSpan(context.active(), span), async () => {
    try {
      return await work(span);
    } catch (error) {
      if (!isAnswer?.(error)) {
        span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * A low-cardinality name for a failure, never its message: a problem's kind
 * (`idempotencyOutcomeUnknown`), an upstream failure (`timeout`), a system code, else the class.
 */
export function errorTypeOf(error: unknown): string {
  if (!(error instanceof Error)) return '_OTHER';
  const { kind, failure, code } = error as Error & { kind?: unknown; failure?: unknown; code?: unknown };
  for (const type of [kind, failure, code]) if (typeof type === 'string') return type;
  return error.name;
}
