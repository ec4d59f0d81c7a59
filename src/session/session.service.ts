import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AccountSessions } from './account-sessions.js';
import { AuthenticatedCaller } from './authenticated-caller.js';
import { PresentedCredentials, unauthorized } from './authorization-header.js';
import { LoginCoordinator } from './login-coordinator.js';
import { RedisKeys } from '../state/redis-keys.js';
import { SessionRecord } from './session-record.js';
import { SessionRecordRepository } from './session-record.repository.js';
import { StateStoreUnavailableError } from '../state/state-store-unavailable.error.js';
import { UpstreamLogin } from './upstream-login.js';
import { UpstreamCredentials } from '../deepcall/deepcall.types.js';
import { isInvalidCredentials, isRejectedCredentials } from '../deepcall/upstream.error.js';
import { SessionMetrics } from '../metrics/session.metrics.js';
import { isCallersProblem } from '../core/problem/problem.error.js';
import { INTERNAL_ATTRIBUTES, inInternalSpan } from '../telemetry/internal-span.js';

export interface IssuedSession {
  sessionId: string;
  expiresAt: string;
}

/** GET /v1/sessions/current: who is calling; expiries only for a Bearer session. */
export interface CurrentSession {
  userId: string;
  expiresAt: string | null;
  absoluteExpiresAt: string | null;
}

/** Issues, resolves and revokes sessions, and runs upstream calls with their credentials. */
@Injectable()
export class SessionService {
  constructor(
    private readonly records: SessionRecordRepository,
    private readonly keys: RedisKeys,
    private readonly logins: LoginCoordinator,
    private readonly upstreamLogin: UpstreamLogin,
    private readonly metrics: SessionMetrics,
    private readonly accountSessions: AccountSessions,
  ) {}

  /** POST /v1/sessions: checks the login upstream, then issues a new session (evicting the oldest beyond the limit). */
  async create(userId: string, token: string): Promise<IssuedSession> {
    return exchangeSpan('create', async () => {
      this.metrics.count('login');
      const credentials = await this.upstreamLogin.exchange(userId, token);
      const sessionId = randomBytes(32).toString('base64url');
      const record = this.records.create(userId, token, credentials);
      const storeKey = this.keys.session(sessionId);
      await this.records.save(storeKey, record);
      await this.accountSessions.add(userId, storeKey, record.createdAt);
      return { sessionId, expiresAt: new Date(this.records.idleEnd(record)).toISOString() };
    });
  }

  /** Finds the session behind presented credentials; 401 when there is none. */
  resolve(presented: PresentedCredentials): Promise<AuthenticatedCaller> {
    return presented.scheme === 'bearer'
      ? this.fromBearer(presented.sessionId)
      : this.fromBasic(presented.userId, presented.token);
  }

  /** Who am I: resolving a Bearer session slides its idle expiry, as any use does. */
  async current(presented: PresentedCredentials): Promise<CurrentSession> {
    const caller = await this.resolve(presented);
    if (caller.scheme === 'basic' || !caller.record)
      return { userId: caller.userId, expiresAt: null, absoluteExpiresAt: null };
    const { record } = caller;
    return {
      userId: caller.userId,
      expiresAt: new Date(this.records.idleEnd(record)).toISOString(),
      absoluteExpiresAt: new Date(record.endsAt).toISOString(),
    };
  }

  /**
   * Runs an upstream call with the caller's credentials. An exchanged ssid that upstream calls
   * invalid (invalidCredentials) is renewed once and the call replayed once; credentials rejected for good
   * end the cached session, so the next request logs in afresh.
   */
  async run<T>(caller: AuthenticatedCaller, call: (credentials: UpstreamCredentials) => Promise<T>): Promise<T> {
    try {
      return await call(caller.credentials);
    } catch (error) {
      if (!isInvalidCredentials(error)) throw error;
      if (!('ssid' in caller.credentials) || !caller.record || !caller.storeKey) {
        await this.forget(caller);
        throw error;
      }
      const renewed = await this.renewSsid(caller, caller.credentials.ssid);
      try {
        return await call(renewed);
      } catch (again) {
        if (isInvalidCredentials(again)) await this.forget(caller);
        throw again;
      }
    }
  }

  /**
   * Log out. A Basic login's cache entry is dropped without asking upstream: a wrong login has none.
   * During a rotation the entry may be under either secret's key: both go.
   */
  async revoke(presented: PresentedCredentials): Promise<void> {
    if (presented.scheme === 'basic') {
      const { userId, token } = presented;
      await Promise.all(this.keys.readable.map((keys) => this.records.remove(keys.login(userId, token))));
      return;
    }
    const caller = await this.fromBearer(presented.sessionId);
    await this.records.remove(caller.storeKey!);
    await this.accountSessions.remove(caller.userId, caller.storeKey!);
  }

  private async fromBearer(sessionId: string): Promise<AuthenticatedCaller> {
    const found = await this.loadReadable((keys) => keys.session(sessionId));
    this.metrics.count(found ? 'hit' : 'miss');
    if (!found) throw unauthorized();
    return {
      scheme: 'bearer',
      userId: found.record.userId,
      credentials: found.record.credentials,
      storeKey: found.storeKey,
      record: found.record,
    };
  }

  /** The record under the current secret's key, else (during a rotation) under the previous one's. */
  private async loadReadable(
    keyOf: (keys: RedisKeys) => string,
  ): Promise<{ storeKey: string; record: SessionRecord } | undefined> {
    for (const keys of this.keys.readable) {
      const storeKey = keyOf(keys);
      const record = await this.records.load(storeKey);
      if (record) return { storeKey, record };
    }
    return undefined;
  }

  /** A Basic login reuses its cached session; only a cold one logs in upstream, once. */
  private async fromBasic(userId: string, token: string): Promise<AuthenticatedCaller> {
    const storeKey = this.keys.login(userId, token);
    try {
      const cached = await this.loadReadable((keys) => keys.login(userId, token));
      this.metrics.count(cached ? 'hit' : 'miss');
      if (cached)
        return {
          scheme: 'basic',
          userId,
          credentials: cached.record.credentials,
          storeKey: cached.storeKey,
          record: cached.record,
        };
      const record = await exchangeSpan('basic', () =>
        this.logins.once(
          storeKey,
          () => this.records.load(storeKey),
          () => this.loginAndCache(storeKey, userId, token),
        ),
      );
      return { scheme: 'basic', userId, credentials: record.credentials, storeKey, record };
    } catch (error) {
      if (!(error instanceof StateStoreUnavailableError)) throw error;
      this.metrics.count('store-unavailable');
      // Served anyway with the credentials the request carries; nothing is cached.
      return {
        scheme: 'basic',
        userId,
        credentials: await exchangeSpan('basic', () => this.upstreamLogin.uncached(userId, token)),
        storeKey: undefined,
        record: undefined,
      };
    }
  }

  private async loginAndCache(storeKey: string, userId: string, token: string): Promise<SessionRecord> {
    this.metrics.count('login');
    const record = this.records.create(userId, token, await this.upstreamLogin.exchange(userId, token));
    await this.records.save(storeKey, record, { cache: true });
    return record;
  }

  /**
   * One new ssid per stale one, shared by every request (and replica) that hit it. The renewed
   * record is written only over the existing one: a logout that lands while the login runs
   * stays done (the session is then a 401, a Basic login is simply not cached).
   */
  private async renewSsid(caller: AuthenticatedCaller, staleSsid: string): Promise<UpstreamCredentials> {
    const storeKey = caller.storeKey!;
    const previous = caller.record!;
    const renewedByOthers = async () => {
      const current = await this.records.load(storeKey);
      return current && !('ssid' in current.credentials && current.credentials.ssid === staleSsid)
        ? current
        : undefined;
    };
    const renewed = await exchangeSpan('renew', () =>
      this.logins.once(storeKey, renewedByOthers, async () => {
        this.metrics.count('relogin');
        const next = { ...previous, credentials: await this.upstreamLogin.renew(previous.userId, previous.token) };
        const written = await this.records.replace(storeKey, next, { cache: caller.scheme === 'basic' });
        if (!written && caller.scheme === 'bearer')
          throw unauthorized('The session was revoked. Create a new one with POST /v1/sessions.');
        return next;
      }),
    );
    return renewed.credentials;
  }

  private async forget(caller: AuthenticatedCaller): Promise<void> {
    if (caller.storeKey) await this.records.remove(caller.storeKey).catch(() => undefined);
  }
}

/**
 * The session exchange (a login upstream turned into a session or a cached login), as the
 * `session.exchange` span: the login's DeepCall span and the record's Redis commands are its
 * children. Credentials DeepCall rejected, or a refusal of ours, are its answer, not its failure.
 */
function exchangeSpan<T>(trigger: 'create' | 'basic' | 'renew', exchange: () => Promise<T>): Promise<T> {
  return inInternalSpan('session.exchange', exchange, {
    attributes: { [INTERNAL_ATTRIBUTES.sessionTrigger]: trigger },
    isAnswer: (error) => isRejectedCredentials(error) || isCallersProblem(error),
  });
}
