import { beforeEach, describe, expect, it } from '@jest/globals';
import { Clock } from '../core/clock.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { UpstreamCredentials } from '../deepcall/upstream-credentials.js';
import { SessionCipher } from './session-cipher.js';
import { SessionKeys } from './session-keys.js';
import { SessionSecrets } from './session-secrets.js';
import { SessionService } from './session.service.js';
import { MemorySessionStore } from './store/memory-session.store.js';
import { UpstreamLogin } from './upstream-login.js';

class FakeClock extends Clock {
  time = 1_700_000_000_000;
  override now(): number {
    return this.time;
  }
}

/** Our own port, faked: counts logins and accepts only "good-token". */
class FakeUpstreamLogin {
  logins = 0;
  async exchange(userId: string, token: string): Promise<UpstreamCredentials> {
    this.logins += 1;
    if (token !== 'good-token') throw new ProblemError('unauthorized', 'rejected');
    return { userId, token };
  }
  async uncached(userId: string, token: string): Promise<UpstreamCredentials> {
    return { userId, token };
  }
}

const IDLE = 60_000;
const MAX_AGE = 150_000;
let clock: FakeClock;
let upstream: FakeUpstreamLogin;
let sessions: SessionService;

beforeEach(() => {
  clock = new FakeClock();
  upstream = new FakeUpstreamLogin();
  const secrets = new SessionSecrets('x'.repeat(32));
  sessions = new SessionService(
    new MemorySessionStore(() => clock.now()),
    new SessionKeys('p:', secrets),
    new SessionCipher(secrets),
    upstream as unknown as UpstreamLogin,
    { idleTtlMs: IDLE, maxAgeMs: MAX_AGE },
    clock,
  );
});

const context = { requestId: 'test' };
const bearer = (sessionId: string) => sessions.resolve({ scheme: 'bearer', sessionId }, context);

async function statusOf(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as ProblemError).status;
  }
}

describe('SessionService expiry', () => {
  it('answers expiresAt as now + idle TTL', async () => {
    const issued = await sessions.create('alice', 'good-token', context);
    expect(Date.parse(issued.expiresAt)).toBe(clock.time + IDLE);
  });

  it('slides the idle expiry with each use', async () => {
    const { sessionId } = await sessions.create('alice', 'good-token', context);
    for (let step = 0; step < 2; step += 1) {
      clock.time += IDLE - 1;
      expect(await statusOf(bearer(sessionId))).toBe('ok');
    }
    clock.time += IDLE;
    expect(await statusOf(bearer(sessionId))).toBe(401);
  });

  it('ends the session at its absolute maximum age however often it is used', async () => {
    const { sessionId } = await sessions.create('alice', 'good-token', context);
    let elapsed = 0;
    while (elapsed + IDLE / 2 < MAX_AGE) {
      clock.time += IDLE / 2;
      elapsed += IDLE / 2;
      expect(await statusOf(bearer(sessionId))).toBe('ok');
    }
    clock.time += MAX_AGE - elapsed;
    expect(await statusOf(bearer(sessionId))).toBe(401);
  });

  it('refuses a revoked session', async () => {
    const { sessionId } = await sessions.create('alice', 'good-token', context);
    await sessions.revoke({ scheme: 'bearer', sessionId });
    expect(await statusOf(bearer(sessionId))).toBe(401);
  });
});

describe('SessionService Basic logins', () => {
  const basic = (token = 'good-token') => sessions.resolve({ scheme: 'basic', userId: 'bob', token }, context);

  it('logs in once, then serves from the cache until idle expiry', async () => {
    await basic();
    await basic();
    expect(upstream.logins).toBe(1);
    clock.time += IDLE;
    await basic();
    expect(upstream.logins).toBe(2);
  });

  it('shares one login among concurrent cold requests', async () => {
    await Promise.all([basic(), basic(), basic(), basic()]);
    expect(upstream.logins).toBe(1);
  });

  it('caches nothing for a rejected login', async () => {
    expect(await statusOf(basic('bad'))).toBe(401);
    expect(await statusOf(basic('bad'))).toBe(401);
    expect(upstream.logins).toBe(2);
  });
});
