import type { SpanContext } from '@opentelemetry/api';
import { activeSpanContext, linkToJoinedCall } from '../telemetry/span-links.js';

/** A run in flight, with what its starter kept beside it (`M`: a deadline, say). */
export interface Flight<M> {
  readonly answer: Promise<unknown>;
  readonly meta: M;
  /** The span that started it: those who join link to it. */
  readonly span: SpanContext | undefined;
}

/**
 * Concurrent calls with one key share one run: the first starts it, the others get its promise
 * until it settles. Nothing is kept after that: the next call starts again.
 */
export class SingleFlight<M = undefined> {
  private readonly running = new Map<string, Flight<M>>();

  /** `what` names the shared call in the span link a joiner gets to the span that started it. */
  constructor(private readonly what = 'call') {}

  /** Joins the run in flight under `key`, or starts one. */
  run<T>(key: string, start: () => Promise<T>, meta?: M): Promise<T> {
    return (this.join(key)?.answer as Promise<T> | undefined) ?? this.start(key, start, meta as M);
  }

  /** The run in flight under `key`, if any; joining it links the active span to the one that started it. */
  join(key: string): Flight<M> | undefined {
    const flight = this.running.get(key);
    if (flight) linkToJoinedCall(flight.span, this.what);
    return flight;
  }

  /** Starts a run under `key` that later calls join until it settles. */
  start<T>(key: string, start: () => Promise<T>, meta: M): Promise<T> {
    const answer = started(start).finally(() => {
      if (this.running.get(key) === flight) this.running.delete(key);
    });
    const flight: Flight<M> = { answer, meta, span: activeSpanContext() };
    this.running.set(key, flight);
    return answer;
  }

  /** Runs in flight right now. */
  get size(): number {
    return this.running.size;
  }
}

/** `start()`, a synchronous throw included as a rejection. */
function started<T>(start: () => Promise<T>): Promise<T> {
  try {
    return start();
  } catch (error) {
    return Promise.reject(error);
  }
}
