import { INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import type { RequestContext } from '../../src/core/request/request-context.js';

/** A request's context as the request plumbing makes it, for unit tests of code that reads it. */
export function requestContextFor(requestId: string): RequestContext {
  return {
    requestId,
    receivedAt: performance.now(),
    route: undefined,
    clientIp: undefined,
    span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT),
    upstream: [],
    abandoned: false,
  };
}
