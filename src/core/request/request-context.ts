import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyRequest } from 'fastify';
import { RequestTrace, traceOf } from './request-trace.js';
import type { WaitMeter } from './wait-meter.js';

/** What code serving a request knows about it, however deep the call: no parameter carries it. */
export interface RequestContext {
  readonly requestId: string;
  /** Where the DeepCall calls made for this request are recorded, for its log line. */
  readonly trace: RequestTrace;
  /** The time it has waited on the state store, for its store budget; made at its first store call. */
  storeWait?: WaitMeter;
}

// On Node 24 AsyncLocalStorage rides on AsyncContextFrame: no promise hook, a few % on the hot
// path (bench/README.md, "Request context"). Node 20's cost a third, hence the Node 24 floor.
const storage = new AsyncLocalStorage<RequestContext>();

/**
 * The one place a request context is made: `next` (Fastify's `done`, so the route handler, its
 * guards, pipes and everything they await) runs inside it.
 */
export function runInRequestContext<T>(request: FastifyRequest, next: () => T): T {
  return storage.run({ requestId: request.id, trace: traceOf(request.raw) }, next);
}

/** The request being served; undefined outside one (start-up, probes of our own, timers). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
