import { Injectable, Logger } from '@nestjs/common';
import { bulkhead, BulkheadPolicy, BulkheadRejectedError } from 'cockatiel';
import { FairUseSettings } from './fair-use-settings.js';
import { timeLeftMs } from '../core/deadline/request-deadline.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { currentRequest } from '../core/request/request-context.js';
import { UserQueueMetrics } from '../metrics/user-queue.metrics.js';

/**
 * USER_MAX_CONCURRENT_CALLS, USER_MAX_QUEUED_CALLS: a cockatiel bulkhead per user, so one user's
 * burst of upstream calls cannot take the replica's memory or connections from everyone else.
 * Beyond the limit a call waits its turn within its deadline; a full queue is a 429.
 */
@Injectable()
export class UserConcurrency {
  private readonly logger = new Logger(UserConcurrency.name);
  private readonly bulkheads = new Map<string, BulkheadPolicy>();

  constructor(
    private readonly settings: FairUseSettings,
    private readonly metrics: UserQueueMetrics,
  ) {}

  /** Runs one upstream call of `userId` in one of the user's slots, waiting no later than `deadlineAt`. */
  async run<T>(userId: string, call: () => Promise<T>, deadlineAt: number): Promise<T> {
    const policy = this.bulkheadOf(userId);
    try {
      return policy.executionSlots > 0 ? await policy.execute(call) : await this.queued(policy, call, deadlineAt);
    } catch (error) {
      if (error instanceof BulkheadRejectedError) {
        this.metrics.refusal();
        throw this.refusal();
      }
      throw error;
    } finally {
      // Nothing of this user in flight or waiting any more: forget the bulkhead, so the map stays small.
      if (policy.executionSlots === this.settings.userMaxConcurrentCalls && policy.queueSlots === this.queueCapacity)
        this.bulkheads.delete(userId);
    }
  }

  private get queueCapacity(): number {
    return this.settings.userMaxQueuedCalls;
  }

  private bulkheadOf(userId: string): BulkheadPolicy {
    let policy = this.bulkheads.get(userId);
    if (!policy) {
      policy = bulkhead(this.settings.userMaxConcurrentCalls, this.queueCapacity);
      this.bulkheads.set(userId, policy);
    }
    return policy;
  }

  /**
   * Waits in the queue until a slot frees or the deadline passes. A call whose deadline passed
   * keeps its queue entry until the bulkhead reaches it, and then ends at once without calling
   * upstream. (Not cockatiel's cancel signal: a cancelled entry there stops the queue moving.)
   */
  private queued<T>(policy: BulkheadPolicy, call: () => Promise<T>, deadlineAt: number): Promise<T> {
    if (policy.queueSlots === 0) return policy.execute(call); // refused by the bulkhead itself
    const waitStarted = performance.now();
    let expired = false;
    this.metrics.enqueued();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          expired = true;
          const waitedMs = performance.now() - waitStarted;
          this.metrics.left('deadline', waitedMs);
          this.logger.warn(
            { requestId: currentRequest()?.requestId, waitedMs: Math.round(waitedMs) },
            "The request's deadline passed while it waited for one of its user's upstream calls to finish",
          );
          reject(queueDeadlinePassed());
        },
        Math.max(0, timeLeftMs(deadlineAt)),
      );
      policy
        .execute(async () => {
          if (expired) return;
          clearTimeout(timer);
          this.metrics.left('started', performance.now() - waitStarted);
          resolve(await call());
        })
        .catch(reject);
    });
  }

  private refusal(): ProblemError {
    const limit = this.settings.userMaxConcurrentCalls;
    const queue = this.queueCapacity;
    return new ProblemError(
      'rateLimited',
      `At most ${limit} upstream calls of one user run at once and ${queue} wait their turn; retry when one has finished.`,
      {
        retryAfterSeconds: 1,
        headers: { 'ratelimit-policy': `"user-concurrency";q=${limit}` },
        logContext: { fairUse: { policy: 'user-concurrency' } },
      },
    );
  }
}

function queueDeadlinePassed(): ProblemError {
  return new ProblemError(
    'gatewayTimeout',
    "The request's deadline passed while it waited for another of its user's DeepCall calls to finish.",
  );
}
