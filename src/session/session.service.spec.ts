import { beforeEach, describe, expect, it } from '@jest/globals';
import { AccountSessions } from './account-sessions.js';
import { LoginCoordinator } from './login-coordinator.js';
import { SessionCipher } from './session-cipher.js';
import { RedisKeys } from '../state/redis-keys.js';
import { SessionRecordRepository } from './session-record.repository.js';
import { SessionSecrets } from '../state/session-secrets.js';
import { SessionService } from './session.service.js';
import { MemoryStateStore } from '../state/memory-state.store.js';
import { UpstreamLogin } from './upstream-login.js';
import { Clock } from '../core/clock.js';
import { runInRequestContext } from '../core/request/request-context.js';
import { requestContextFor } from '../../test/support/request-context.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { UpstreamCredentials } from '../deepcall/deepcall.types.js';
import { UpstreamError } from '../deepcall/upstream.error.js';
import { SessionMetrics } from '../metrics/session.metrics.js';

class FakeClock extends Clock {
  time = 1_700_000_000_000;
  override now(): number {
    return this.time;
  }
}

/** Our own port, faked: counts logins and accepts only "good-token"; in ssid mode issues ssids. */
class FakeUpstreamLogin {
  logins = 0;
  ssidMode = false;
  /** Runs while a login is in flight: what races it. */
  duringLogin?: () => Promise<void>;
  async exchange(userId: string, token: string): Promise<UpstreamCredentials> {
    this.logins += 1;
    await this.duringLogin?.();
    if (token !== 'good-token') throw new ProblemError('unauthorized', 'rejected');
    return this.ssidMode ? { ssid: `ssid-${this.logins}` } : { userId, token };
  }
  renew(userId: string, token: string): Promise<UpstreamCredentials> {
    return this.exchange(userId, token);
  }
  async uncached(userId: string, token: string): Promise<UpstreamCredentials> {
    return { userId, token };
  }
}

const IDLE = 60_000;
const MAX_AGE = 150_000;
const SETTINGS = { idleTtlMs: IDLE, maxAgeMs: MAX_AGE, maxPerUser: 20, loginLockMs: 1000, requestDeadlineMs: 10_000 };
let clock: FakeClock;
let upstream: FakeUpstreamLogin;
let store: MemoryStateStore;
let sessions: SessionService;
let metrics: CountingMetrics;

/** Our own port, faked: counts the events a dashboard would see. */
class CountingMetrics {
  readonly counts: Record<string, number> = {};
  count(event: string): void {
    this.counts[event] = (this.counts[event] ?? 0) + 1;
  }
}

beforeEach(() => {
  clock = new FakeClock();
  upstream = new FakeUpstreamLogin();
  store = new MemoryStateStore(() => clock.now());
  metrics = new CountingMetrics();
  sessions = serviceUnder(new SessionSecrets('x'.repeat(32)));
});

/** The service as SessionModule wires it, on this test's store, clock, upstream and metrics. */
function serviceUnder(secrets: SessionSecrets, settings = SETTINGS): SessionService {
  const keys = new RedisKeys('p:', secrets);
  return new SessionService(
    new SessionRecordRepository(store, new SessionCipher(secrets), settings, clock),
    keys,
    new LoginCoordinator(store, keys, settings, clock),
    upstream as unknown as UpstreamLogin,
    metrics as unknown as SessionMetrics,
    new AccountSessions(store, keys, settings),
  );
}

const bearer = (sessionId: string) => sessions.resolve({ scheme: 'bearer', sessionId });

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
    const issued = await sessions.create('alice', 'good-token');
    expect(Date.parse(issued.expiresAt)).toBe(clock.time + IDLE);
  });

  it('slides the idle expiry with each use', async () => {
    const { sessionId } = await sessions.create('alice', 'good-token');
    for (let step = 0; step < 2; step += 1) {
      clock.time += IDLE - 1;
      expect(await statusOf(bearer(sessionId))).toBe('ok');
    }
    clock.time += IDLE;
    expect(await statusOf(bearer(sessionId))).toBe(401);
  });

  it('ends the session at its absolute maximum age however often it is used', async () => {
    const { sessionId } = await sessions.create('alice', 'good-token');
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
    const { sessionId } = await sessions.create('alice', 'good-token');
    await sessions.revoke({ scheme: 'bearer', sessionId });
    expect(await statusOf(bearer(sessionId))).toBe(401);
  });
});

describe('SessionService Basic logins', () => {
  const basic = (token = 'good-token') => sessions.resolve({ scheme: 'basic', userId: 'bob', token });

  it('logs in once, then serves from the cache until idle expiry', async () => {
    await basic();
    await basic();
    expect(upstream.logins).toBe(1);
    expect(metrics.counts).toEqual({ miss: 1, login: 1, hit: 1 });
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

describe('SessionService ssid renewal (DEEPCALL_LOGIN_PATH mode)', () => {
  const invalid = () => new UpstreamError('application', 'list', { upstreamCode: 1014 });

  /** An upstream call that accepts only the newest ssid issued. */
  const callNeedingNewestSsid = (calls: string[]) => async (credentials: UpstreamCredentials) => {
    const ssid = (credentials as { ssid: string }).ssid;
    calls.push(ssid);
    if (ssid !== `ssid-${upstream.logins}`) throw invalid();
    return 'ok';
  };

  it('renews an ssid upstream calls invalid once, replays the call once, and keeps the new ssid', async () => {
    upstream.ssidMode = true;
    const { sessionId } = await sessions.create('carol', 'good-token');
    upstream.logins += 1; // upstream expired ssid-1: only ssid-2 (issued next) will do
    const calls: string[] = [];
    const caller = await bearer(sessionId);
    expect(await sessions.run(caller, callNeedingNewestSsid(calls))).toBe('ok');
    expect(calls).toEqual(['ssid-1', 'ssid-3']);
    expect((await bearer(sessionId)).credentials).toEqual({ ssid: 'ssid-3' });
  });

  it('gives up after one replay: a second 1014 is a 401 and ends the session', async () => {
    upstream.ssidMode = true;
    const { sessionId } = await sessions.create('carol', 'good-token');
    let calls = 0;
    const alwaysInvalid = async () => {
      calls += 1;
      throw invalid();
    };
    await expect(sessions.run(await bearer(sessionId), alwaysInvalid)).rejects.toBeInstanceOf(UpstreamError);
    expect(calls).toBe(2);
    expect(upstream.logins).toBe(2);
    expect(await statusOf(bearer(sessionId))).toBe(401);
  });

  it('a logout while the renewal logs in stays done: the renewal does not bring the session back', async () => {
    upstream.ssidMode = true;
    const { sessionId } = await sessions.create('gina', 'good-token');
    const caller = await bearer(sessionId);
    upstream.logins += 1;
    upstream.duringLogin = () => sessions.revoke({ scheme: 'bearer', sessionId });
    expect(await statusOf(sessions.run(caller, callNeedingNewestSsid([])))).toBe(401);
    expect(await statusOf(bearer(sessionId))).toBe(401);
  });

  it('renews once for many concurrent requests that hit the same stale ssid', async () => {
    upstream.ssidMode = true;
    const { sessionId } = await sessions.create('carol', 'good-token');
    const callers = await Promise.all(Array.from({ length: 10 }, () => bearer(sessionId)));
    upstream.logins += 1;
    const calls: string[] = [];
    const results = await Promise.all(callers.map((caller) => sessions.run(caller, callNeedingNewestSsid(calls))));
    expect(results).toEqual(Array(10).fill('ok'));
    expect(upstream.logins).toBe(3);
  });

  it('in userId+token mode, a 1014 drops the cached login instead of retrying', async () => {
    const basicCaller = await sessions.resolve({ scheme: 'basic', userId: 'dave', token: 'good-token' });
    let calls = 0;
    await expect(
      sessions.run(basicCaller, async () => {
        calls += 1;
        throw invalid();
      }),
    ).rejects.toBeInstanceOf(UpstreamError);
    expect(calls).toBe(1);
    await sessions.resolve({ scheme: 'basic', userId: 'dave', token: 'good-token' });
    expect(upstream.logins).toBe(2);
  });
});

describe('SessionService sessions per account (in-process store)', () => {
  it('evicts the oldest session beyond the limit and keeps the newest', async () => {
    const issued = [];
    for (let n = 0; n < 22; n += 1) {
      clock.time += 1;
      issued.push((await sessions.create('frank', 'good-token')).sessionId);
    }
    const statuses = await Promise.all(issued.map((sessionId) => statusOf(bearer(sessionId))));
    expect(statuses).toEqual([401, 401, ...Array(20).fill('ok')]);
  });
});

describe('SessionRecordRepository TTLs', () => {
  it('caches Basic logins for 95-100% of the idle TTL at random, sessions for exactly the idle TTL', async () => {
    const written: number[] = [];
    const recordingStore = Object.assign(new MemoryStateStore(() => clock.now()), {
      async write(_key: string, _value: string, ttlMs: number) {
        written.push(ttlMs);
      },
    });
    const secrets = new SessionSecrets('y'.repeat(32));
    const records = new SessionRecordRepository(recordingStore, new SessionCipher(secrets), SETTINGS, clock);
    const record = records.create('erin', 'good-token', { userId: 'erin', token: 'good-token' });
    for (let n = 0; n < 50; n += 1) await records.save(`k${n}`, record, { cache: true });
    expect(Math.min(...written)).toBeGreaterThanOrEqual(IDLE * 0.95);
    expect(Math.max(...written)).toBeLessThanOrEqual(IDLE);
    expect(new Set(written).size).toBeGreaterThan(1);
    written.length = 0;
    await records.save('session', record);
    expect(written).toEqual([IDLE]);
  });
});

describe('SessionService during a SESSION_SECRET rotation', () => {
  const OLD = 'o'.repeat(32);
  const NEW = 'n'.repeat(32);
  const basic = { scheme: 'basic', userId: 'carol', token: 'good-token' } as const;

  it('a Basic logout drops the login cached under the previous secret too', async () => {
    await serviceUnder(new SessionSecrets(OLD)).resolve(basic);
    const rotated = serviceUnder(new SessionSecrets(NEW, OLD));
    await rotated.resolve(basic);
    expect(upstream.logins).toBe(1); // read from the previous secret's entry
    await rotated.revoke(basic);
    await rotated.resolve(basic);
    expect(upstream.logins).toBe(2); // logged in again: nothing was left to serve from
  });
});

describe('SessionService waiting for a login another replica runs', () => {
  it('waits no longer than its own request deadline, then answers 504 without logging in itself', async () => {
    const secrets = new SessionSecrets('w'.repeat(32));
    const keys = new RedisKeys('p:', secrets);
    const service = serviceUnder(secrets, { ...SETTINGS, requestDeadlineMs: 80 });
    // Another replica holds the login lease of this login and has not finished.
    await store.acquireLock(keys.loginLock(keys.login('dave', 'good-token')), 60_000);
    const started = performance.now();
    const failure = await runInRequestContext(requestContextFor('r-1'), () =>
      service.resolve({ scheme: 'basic', userId: 'dave', token: 'good-token' }).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    const waitedMs = performance.now() - started;
    expect(failure).toBeInstanceOf(UpstreamError);
    // The request's deadline passed while it waited (504 by the error table).
    expect((failure as UpstreamError).failure).toBe('deadline');
    expect(waitedMs).toBeGreaterThanOrEqual(70);
    expect(waitedMs).toBeLessThan(500);
    expect(upstream.logins).toBe(0);
  });
});
