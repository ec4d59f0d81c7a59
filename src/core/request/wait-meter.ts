/**
 * How long one request has spent waiting on something (the state store): the time during which
 * at least one of its calls was pending. Concurrent calls count once, time between calls not at all.
 * Instants are `performance.now()` milliseconds.
 */
export class WaitMeter {
  private spent = 0;
  private pending = 0;
  private since = 0;

  spentMs(now = performance.now()): number {
    return this.pending > 0 ? this.spent + (now - this.since) : this.spent;
  }

  begin(now = performance.now()): void {
    if (this.pending++ === 0) this.since = now;
  }

  end(now = performance.now()): void {
    if (--this.pending === 0) this.spent += now - this.since;
  }
}
