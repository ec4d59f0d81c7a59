import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';
import type { WaitMeter } from './wait-meter.js';

/** One DeepCall call made while serving a request, for its log line. */
export interface UpstreamCallRecord {
  operation: string;
  durationMs: number;
  outcome: string;
}

/**
 * What the service knows about the request it is serving, however deep the call: no parameter
 * carries it. Made by the request plumbing at onRequest (request-plumbing.plugin.ts).
 */
export interface RequestContext {
  readonly requestId: string;
  /** `performance.now()` when the request arrived: where its deadline (REQUEST_DEADLINE_MS) starts. */
  readonly receivedAt: number;
  /** The route template (`/v1/groups/:id`), never the raw path; undefined for unknown routes. */
  readonly route: string | undefined;
  /** The client's address: the gateway's X-Forwarded-For entry when TRUST_PROXY trusts it. */
  readonly clientIp: string | undefined;
  /** The request's server span, whose ids are in traceresponse, the logs and the problems. */
  readonly span: Span;
  /** The DeepCall calls made for it, for its log line. */
  readonly upstream: UpstreamCallRecord[];
  /** The client went away before its answer. */
  abandoned: boolean;
  /** The time it has waited on the state store, for its store budget; made at its first store call. */
  storeWait?: WaitMeter;
}

// On Node 24 AsyncLocalStorage rides on AsyncContextFrame: no promise hook (bench/README.md,
// "Request context"), hence the Node 24 floor.
const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `next` inside the request's context: everything it calls and awaits sees `currentRequest()`. */
export function runInRequestContext<T>(context: RequestContext, next: () => T): T {
  return storage.run(context, next);
}

/** The request being served; undefined outside one (start-up, probes of our own, timers). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
