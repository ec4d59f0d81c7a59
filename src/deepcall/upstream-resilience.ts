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
import { DeepcallOperation, READ_OPERATIONS, UPSTREAM_FAULT_CODES } from './deepcall-codes.js';
import { DeepcallSettings, InjectDeepcallSettings } from './deepcall-settings.js';
import { RetryBudget } from './retry-budget.js';
import { ANSWER_TOO_LARGE } from './undici-axios-adapter.js';
import { UpstreamError } from './upstream.error.js';

const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/**
 * Faults of DeepCall itself: they open the circuit. Application answers (group not found…) do not, nor
 * does what one caller brought on: an answer too large to accept (a huge account), or a call
 * whose client had gone away (its slowness may be the client's own doing).
 */
function isUpstreamFault(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  if (error.details.transportCode === ANSWER_TOO_LARGE || error.details.clientAbandoned) return false;
  switch (error.failure) {
    case 'timeout':
      // Cut short by the request's own deadline: not proof that DeepCall is failing.
      return error.details.cutShortByDeadline !== true;
    case 'unreachable':
    case 'malformed':
      return true;
    case 'http-status':
      return (error.details.httpStatus ?? 500) >= 500;
    case 'application':
      return UPSTREAM_FAULT_CODES.has(error.upstreamCode!);
    default:
      return false;
  }
}

/**
 * Safe to repeat: any call refused before it reached DeepCall; reads that failed in transit or
 * with a gateway 5xx. Never a timeout (the deadline is the caller's), never a write that may
 * have landed: creates are not retried blindly.
 */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  if (error.details.transportCode === 'ECONNREFUSED') return true;
  if (!READ_OPERATIONS.has(error.operation)) return false;
  return (
    error.failure === 'unreachable' ||
    (error.failure === 'http-status' && RETRYABLE_STATUSES.has(error.details.httpStatus!))
  );
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

  constructor(@InjectDeepcallSettings() private readonly settings: DeepcallSettings) {
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
