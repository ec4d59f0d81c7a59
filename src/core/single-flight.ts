/**
 * Concurrent calls with one key share one run: the first starts it, the others get its promise
 * until it settles. Nothing is kept after that: the next call starts again.
 */
export class SingleFlight {
  private readonly running = new Map<string, Promise<unknown>>();

  run<T>(key: string, start: () => Promise<T>): Promise<T> {
    const shared = this.running.get(key) as Promise<T> | undefined;
    if (shared) return shared;
    const started = start().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
