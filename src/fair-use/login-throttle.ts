import { Injectable } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { FairUseSettings } from './fair-use-settings.js';
import { Counter } from './insured-counter.js';
import { RateLimiters } from './rate-limiters.js';
import { tooManyRequests } from './too-many-requests.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { isRejectedCredentials } from '../deepcall/upstream.error.js';
import { SingleFlight } from '../core/single-flight.js';
import { RedisKeys } from '../state/redis-keys.js';

/** How long a rejected userId+token is answered 401 without asking DeepCall again. */
const REJECTED_LOGIN_MEMORY_SECONDS = 60;

/**
 * Every login that would reach DeepCall first takes a point from its account's and address's
 * failure budget, given back unless DeepCall rejects the credentials: so at most LOGIN_MAX_FAILURES
 * guesses per account reach DeepCall per (fixed) window, however many run at once; the rest are 429.
 */
@Injectable()
export class LoginThrottle {
  private readonly perAccount: Counter;
  private readonly perAddress: Counter;
  private readonly rejected: Counter;
  private readonly inFlight = new SingleFlight();

  constructor(
    limiters: RateLimiters,
    private readonly keys: RedisKeys,
    private readonly settings: FairUseSettings,
  ) {
    this.perAccount = limiters.create(
      'login-failures:account',
      settings.loginMaxFailures,
      settings.loginFailureWindowSeconds,
    );
    this.perAddress = limiters.create(
      'login-failures:address',
      settings.loginMaxFailuresPerAddress,
      settings.loginFailureWindowSeconds,
    );
    this.rejected = limiters.create('login-rejected', 1, REJECTED_LOGIN_MEMORY_SECONDS);
  }

  /**
   * Runs `login` (the upstream login of userId+token) if the account and address may still try.
   * Concurrent attempts with the same credentials share one login and one point: a client
   * starting many sessions at once is not mistaken for a guesser.
   */
  attempt<T>(userId: string, token: string, clientIp: string | undefined, login: () => Promise<T>): Promise<T> {
    const rejectedKey = this.keys.rejectedLogin(userId, token);
    return this.inFlight.run(rejectedKey, () => this.throttled(rejectedKey, userId, clientIp, login));
  }

  private async throttled<T>(
    rejectedKey: string,
    userId: string,
    clientIp: string | undefined,
    login: () => Promise<T>,
  ): Promise<T> {
    if (((await this.rejected.get(rejectedKey))?.consumedPoints ?? 0) > 1) throw rejectedAgain();
    const account = this.keys.account(userId);
    await this.take(
      this.perAccount,
      account,
      'login-account',
      this.settings.loginMaxFailures,
      'Too many failed logins for this account; retry after the indicated delay.',
    );
    const address = clientIp === undefined ? undefined : this.keys.address(clientIp);
    if (address !== undefined) {
      try {
        await this.take(
          this.perAddress,
          address,
          'login-address',
          this.settings.loginMaxFailuresPerAddress,
          'Too many failed logins from this address; retry after the indicated delay.',
        );
      } catch (error) {
        await this.giveBack(account, undefined);
        throw error;
      }
    }
    let result: T;
    try {
      result = await login();
    } catch (error) {
      if (isRejectedCredentials(error))
        await this.rejected.block(rejectedKey, REJECTED_LOGIN_MEMORY_SECONDS).catch(() => undefined);
      else await this.giveBack(account, address);
      throw error;
    }
    // DeepCall accepted it: no failure to count.
    await this.giveBack(account, address);
    return result;
  }

  private async take(limiter: Counter, key: string, policy: string, quota: number, detail: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes)
        throw tooManyRequests(
          detail,
          { name: policy, quota, windowSeconds: this.settings.loginFailureWindowSeconds },
          refusal,
        );
      throw refusal;
    }
  }

  private async giveBack(account: string, address: string | undefined): Promise<void> {
    await Promise.all([
      giveBack(this.perAccount, account),
      address !== undefined && giveBack(this.perAddress, address),
    ]).catch(() => undefined);
  }
}

/** Returns the point taken; a counter back at zero is deleted, so a good login leaves nothing behind. */
async function giveBack(limiter: Counter, key: string): Promise<void> {
  const counter = await limiter.reward(key);
  if (counter.consumedPoints <= 0) await limiter.delete(key);
}

function rejectedAgain(): ProblemError {
  return new ProblemError(
    'unauthorized',
    'DeepCall rejected these credentials a moment ago; check the account id and token.',
  );
}
