import { Injectable } from '@nestjs/common';
import { RedisKeys } from '../state/redis-keys.js';
import { SessionSettings } from './session-settings.js';
import { StateStore } from '../state/state-store.js';
import { Clock } from '../core/clock.js';
import { currentDeadline, timeLeftMs } from '../core/deadline/request-deadline.js';
import { SingleFlight } from '../core/single-flight.js';
import { UpstreamError } from '../deepcall/upstream.error.js';

const WAIT_STEP_MS = 20;

/**
 * At most one upstream login at a time per store entry, across processes: in one, callers share
 * a promise; between them a Redis lock decides and the others watch the entry for the result,
 * until their own request's deadline (then 504).
 */
@Injectable()
export class LoginCoordinator {
  private readonly inFlight = new SingleFlight('login');

  constructor(
    private readonly store: StateStore,
    private readonly keys: RedisKeys,
    private readonly settings: SessionSettings,
    private readonly clock: Clock,
  ) {}

  /**
   * `read` finds a result another login already produced; `login` produces one. Resolves with
   * whichever comes first; a lock that expires (its holder crashed) frees the others.
   */
  once<T>(storeKey: string, read: () => Promise<T | undefined>, login: () => Promise<T>): Promise<T> {
    return this.inFlight.run(storeKey, () => this.acrossProcesses(storeKey, read, login));
  }

  private async acrossProcesses<T>(
    storeKey: string,
    read: () => Promise<T | undefined>,
    login: () => Promise<T>,
  ): Promise<T> {
    const lockKey = this.keys.loginLock(storeKey);
    const giveUpAt = this.clock.now() + this.settings.loginLockMs * 2;
    // The deadline of the request that started this (in-process sharers arrived about as it did).
    const deadlineAt = currentDeadline(this.settings.requestDeadlineMs);
    for (;;) {
      const token = await this.store.acquireLock(lockKey, this.settings.loginLockMs);
      if (token !== null) {
        try {
          return (await read()) ?? (await login());
        } finally {
          await this.store.releaseLock(lockKey, token).catch(() => undefined);
        }
      }
      const theirs = await this.waitForOther(lockKey, read, giveUpAt, deadlineAt);
      if (theirs !== undefined) return theirs;
      if (timeLeftMs(deadlineAt) <= 0) throw new UpstreamError('deadline', 'login');
      // Their login failed (or took too long): try ourselves, past the deadline without a lock.
      if (this.clock.now() >= giveUpAt) return login();
    }
  }

  private async waitForOther<T>(
    lockKey: string,
    read: () => Promise<T | undefined>,
    giveUpAt: number,
    deadlineAt: number,
  ): Promise<T | undefined> {
    while (this.clock.now() < giveUpAt && timeLeftMs(deadlineAt) > 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(WAIT_STEP_MS, timeLeftMs(deadlineAt))));
      const result = await read();
      if (result !== undefined) return result;
      if (!(await this.store.exists(lockKey))) return undefined;
    }
    return undefined;
  }
}
