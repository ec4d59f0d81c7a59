import { describe, expect, it } from '@jest/globals';
import { LoginThrottle } from './login-throttle.js';
import { RateLimiters } from './rate-limiters.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { UpstreamError } from '../deepcall/upstream.error.js';
import { SessionSecrets } from '../state/session-secrets.js';
import { RedisKeys } from '../state/redis-keys.js';

const settings = {
  loginMaxFailures: 3,
  loginFailureWindowSeconds: 60,
  loginMaxFailuresPerAddress: 5,
  userMaxConcurrentCalls: 8,
  userMaxQueuedCalls: 64,
};

function throttle(): LoginThrottle {
  return new LoginThrottle(
    new RateLimiters(undefined, 'p:'),
    new RedisKeys('p:', new SessionSecrets('s'.repeat(32))),
    settings,
  );
}

/** Our own port, faked: DeepCall's login, counting its calls. */
function upstream(outcome: 'accept' | 'reject' | 'fail') {
  const port = {
    calls: 0,
    login: async () => {
      port.calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      if (outcome === 'reject') throw new UpstreamError('application', 'login', { upstreamCode: 1014 });
      if (outcome === 'fail') throw new UpstreamError('timeout', 'login');
      return 'ssid';
    },
  };
  return port;
}

async function statusOf(promise: Promise<unknown>): Promise<number | 'ok' | 'upstream'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof ProblemError ? error.status : 'upstream';
  }
}

describe('LoginThrottle', () => {
  it('lets at most LOGIN_MAX_FAILURES logins of an account reach upstream, however many run at once', async () => {
    const limits = throttle();
    const wrong = upstream('reject');
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, n) => statusOf(limits.attempt('eve', `guess-${n}`, '10.0.0.1', wrong.login))),
    );
    expect(wrong.calls).toBe(3);
    expect(outcomes.filter((outcome) => outcome === 429)).toHaveLength(47);
    // Locked for the right token too, without an upstream call.
    const right = upstream('accept');
    expect(await statusOf(limits.attempt('eve', 'right', '10.0.0.2', right.login))).toBe(429);
    expect(right.calls).toBe(0);
  });

  it('counts only rejected credentials: accepted logins and upstream faults give their point back', async () => {
    const limits = throttle();
    for (let n = 0; n < 10; n += 1) await limits.attempt('ann', `token-${n}`, undefined, upstream('accept').login);
    for (let n = 0; n < 10; n += 1)
      expect(await statusOf(limits.attempt('ann', `token-${n}`, undefined, upstream('fail').login))).toBe('upstream');
    expect(await statusOf(limits.attempt('ann', 'token', undefined, upstream('accept').login))).toBe('ok');
  });

  it('answers the same rejected credentials 401 without asking upstream again, at no cost to the account', async () => {
    const limits = throttle();
    const wrong = upstream('reject');
    expect(await statusOf(limits.attempt('bob', 'wrong', undefined, wrong.login))).toBe('upstream');
    for (let n = 0; n < 5; n += 1)
      expect(await statusOf(limits.attempt('bob', 'wrong', undefined, wrong.login))).toBe(401);
    expect(wrong.calls).toBe(1);
    expect(await statusOf(limits.attempt('bob', 'right', undefined, upstream('accept').login))).toBe('ok');
  });

  it('shares one upstream login among concurrent attempts with the same credentials', async () => {
    const limits = throttle();
    const right = upstream('accept');
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => statusOf(limits.attempt('cat', 'right', undefined, right.login))),
    );
    expect(outcomes).toEqual(Array(10).fill('ok'));
    expect(right.calls).toBe(1);
  });

  it('limits failures per client address across accounts', async () => {
    const limits = throttle();
    for (let n = 0; n < 5; n += 1)
      await statusOf(limits.attempt(`user-${n}`, 'wrong', '10.0.0.9', upstream('reject').login));
    expect(await statusOf(limits.attempt('user-x', 'wrong', '10.0.0.9', upstream('reject').login))).toBe(429);
    expect(await statusOf(limits.attempt('user-x', 'wrong', '10.0.0.10', upstream('reject').login))).toBe('upstream');
  });
});
