import { Injectable } from '@nestjs/common';
import { bulkhead, BulkheadPolicy, BulkheadRejectedError } from 'cockatiel';
import { FairUseSettings, InjectFairUseSettings } from './fair-use-settings.js';
import { ProblemError } from '../core/problem/problem.error.js';

/**
 * USER_MAX_CONCURRENT_CALLS: one bulkhead (no queue) per user with requests in flight in this
 * replica, so one user's burst of slow or huge requests cannot take the replica's memory or
 * upstream connections from everyone else. A request over the limit is refused at once.
 */
@Injectable()
export class UserConcurrency {
  private readonly bulkheads = new Map<string, BulkheadPolicy>();

  constructor(@InjectFairUseSettings() private readonly settings: FairUseSettings) {}

  async run<T>(userId: string, work: () => Promise<T>): Promise<T> {
    let policy = this.bulkheads.get(userId);
    if (!policy) {
      policy = bulkhead(this.settings.userMaxConcurrentCalls, 0);
      this.bulkheads.set(userId, policy);
    }
    try {
      return await policy.execute(work);
    } catch (error) {
      if (error instanceof BulkheadRejectedError) throw this.refusal();
      throw error;
    } finally {
      // Nothing of this user in flight any more: forget the bulkhead, so the map stays small.
      if (policy.executionSlots === this.settings.userMaxConcurrentCalls) this.bulkheads.delete(userId);
    }
  }

  private refusal(): ProblemError {
    const limit = this.settings.userMaxConcurrentCalls;
    return new ProblemError(
      'rateLimited',
      `At most ${limit} requests of one user run at once; retry when one has finished.`,
      {
        retryAfterSeconds: 1,
        headers: { 'ratelimit-policy': `"user-concurrency";q=${limit}` },
        logContext: { fairUse: { policy: 'user-concurrency' } },
      },
    );
  }
}
