import type { SpanContext } from '@opentelemetry/api';
import { activeSpanContext, linkToJoinedCall } from '../telemetry/span-links.js';

/**
 * Concurrent calls with one key share one run: the first starts it, the others get its promise
 * until it settles. Nothing is kept after that: the next call starts again.
 */
export class SingleFlight {
  private readonly running = new Map<string, { run: Promise<unknown>; span?: SpanContext }>();

  /** `what` names the shared call in the span link a joiner gets to the span that started it. */
  constructor(private readonly what = 'call') {}

  run<T>(key: string, start: () => Promise<T>): Promise<T> {
    const shared = this.running.get(key);
    if (shared) {
      linkToJoinedCall(shared.span, this.what);
      return shared.run as Promise<T>;
    }
    const started = start().finally(() => this.running.delete(key));
    this.running.set(key, { run: started, span: activeSpanContext() });
    return started;
  }
}
