/**
 * Retries may add at most `ratio` to the calls made (plus a small reserve), so a failing
 * upstream sees at most about (1 + ratio) times the traffic our callers send.
 */
export class RetryBudget {
  private tokens: number;

  constructor(
    private readonly ratio = 0.2,
    private readonly reserve = 1,
  ) {
    this.tokens = reserve;
  }

  recordCall(): void {
    this.tokens = Math.min(this.tokens + this.ratio, this.reserve + 10);
  }

  /** Spends one retry if the budget allows it. */
  tryRetry(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
