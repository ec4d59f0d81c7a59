import { Injectable } from '@nestjs/common';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
} from 'cockatiel';
import type { DeepcallOperation } from './deepcall-codes.js';
import { DeepcallSettings } from './deepcall.types.js';
import { isRetryable, isUpstreamFault, UpstreamError } from './upstream.error.js';

/**
 * Retries may add at most `ratio` to the calls made (plus a small reserve), so a failing
 * upstream sees at most about (1 + ratio) times the traffic our callers send.
 */
class RetryBudget {
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

const MAX_BACKOFF_MS = 150;

const CIRCUIT_STATE_NAMES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
} as const;

/** A retryable failure with no time left to retry in: carried past the retry policy, then unwrapped. */
class NoTimeToRetry {
  constructor(readonly error: unknown) {}
}

/**
 * Retry (one, jittered, within a budget) around a circuit breaker, for every DeepCall call.
 * Half-open means one trial: while it runs, every other call is refused at once (503), instead
 * of queueing behind it as cockatiel would.
 */
@Injectable()
export class UpstreamResilience {
  private readonly budget = new RetryBudget();
  readonly breaker;
  private readonly retryPolicy;

  constructor(private readonly settings: DeepcallSettings) {
    this.breaker = circuitBreaker(handleWhen(isUpstreamFault), {
      halfOpenAfter: settings.breakerCooldownMs,
      breaker: new ConsecutiveBreaker(settings.breakerThreshold),
    });
    this.retryPolicy = retry(
      handleWhen((error) => isRetryable(error) && this.budget.tryRetry()),
      { maxAttempts: 1, backoff: new ExponentialBackoff({ initialDelay: 25, maxDelay: MAX_BACKOFF_MS }) },
    );
  }

  get circuitOpen(): boolean {
    return this.breaker.state === CircuitState.Open;
  }

  /** The breaker's state by name, for the dependency report. */
  get circuitState(): 'closed' | 'open' | 'half-open' | 'isolated' {
    return CIRCUIT_STATE_NAMES[this.breaker.state];
  }

  /**
   * Runs `attempt` through the breaker, retrying once when that is safe and a retry can still
   * finish before `deadlineAt` (a full call timeout plus the backoff must be left).
   */
  async execute<T>(
    operation: DeepcallOperation,
    attempt: () => Promise<T>,
    deadlineAt = Number.POSITIVE_INFINITY,
  ): Promise<T> {
    // The trial call of a half-open circuit is running: refuse now, do not wait for its verdict.
    if (this.breaker.state === CircuitState.HalfOpen)
      throw new UpstreamError('circuit-open', operation, { retryAfterSeconds: 1 });
    this.budget.recordCall();
    const minimumForRetry = this.settings.timeoutMs + MAX_BACKOFF_MS;
    try {
      return await this.retryPolicy.execute(() =>
        this.breaker.execute(attempt).catch((error: unknown) => {
          throw deadlineAt - performance.now() < minimumForRetry ? new NoTimeToRetry(error) : error;
        }),
      );
    } catch (error) {
      if (error instanceof NoTimeToRetry) throw error.error;
      if (error instanceof BrokenCircuitError) {
        throw new UpstreamError('circuit-open', operation, {
          retryAfterSeconds: Math.max(1, Math.ceil(this.settings.breakerCooldownMs / 1000)),
        });
      }
      throw error;
    }
  }
}
