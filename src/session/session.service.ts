import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock } from '../core/clock.js';
import { CallContext } from '../deepcall/deepcall.client.js';
import { UpstreamCredentials } from '../deepcall/upstream-credentials.js';
import { AuthenticatedCaller } from './authenticated-caller.js';
import { PresentedCredentials, unauthorized } from './authorization-header.js';
import { SessionCipher } from './session-cipher.js';
import { SessionKeys } from './session-keys.js';
import { parseSessionRecord, SessionRecord } from './session-record.js';
import { InjectSessionSettings, SessionSettings } from './session-settings.js';
import { SessionStoreUnavailableError } from './store/session-store-unavailable.error.js';
import { SessionStore } from './store/session-store.js';
import { UpstreamLogin } from './upstream-login.js';

export interface IssuedSession {
  sessionId: string;
  expiresAt: string;
}

/** Issues, resolves and revokes sessions; the only code that reads or writes session records. */
@Injectable()
export class SessionService {
  /** Logins under way in this process, so a burst of identical cold Basic requests logs in once. */
  private readonly loginsInFlight = new Map<string, Promise<AuthenticatedCaller>>();

  constructor(
    private readonly store: SessionStore,
    private readonly keys: SessionKeys,
    private readonly cipher: SessionCipher,
    private readonly upstreamLogin: UpstreamLogin,
    @InjectSessionSettings() private readonly settings: SessionSettings,
    private readonly clock: Clock,
  ) {}

  /** POST /v1/sessions: checks the login upstream, then issues a new session. */
  async create(userId: string, token: string, context: CallContext): Promise<IssuedSession> {
    const credentials = await this.upstreamLogin.exchange(userId, token, context);
    const sessionId = randomBytes(32).toString('base64url');
    const record = this.newRecord(userId, token, credentials);
    await this.save(this.keys.session(sessionId), record);
    return { sessionId, expiresAt: new Date(this.idleEnd(record, this.clock.now())).toISOString() };
  }

  /** Finds the session behind presented credentials; 401 when there is none. */
  resolve(presented: PresentedCredentials, context: CallContext): Promise<AuthenticatedCaller> {
    return presented.scheme === 'bearer' ? this.fromBearer(presented.sessionId) : this.fromBasic(presented.userId, presented.token, context);
  }

  /** Runs one upstream call with the caller's credentials. */
  async run<T>(caller: AuthenticatedCaller, call: (credentials: UpstreamCredentials) => Promise<T>): Promise<T> {
    return call(caller.credentials);
  }

  /** Log out. A Basic login's cache entry is dropped without asking upstream: a wrong login has none. */
  async revoke(presented: PresentedCredentials): Promise<void> {
    if (presented.scheme === 'basic') return this.store.remove(this.keys.login(presented.userId, presented.token));
    const caller = await this.fromBearer(presented.sessionId);
    await this.store.remove(caller.storeKey!);
  }

  private async fromBearer(sessionId: string): Promise<AuthenticatedCaller> {
    const storeKey = this.keys.session(sessionId);
    const record = await this.load(storeKey);
    if (!record) throw unauthorized('The session is unknown, expired or revoked. Create a new one with POST /v1/sessions.');
    return { scheme: 'bearer', userId: record.userId, credentials: record.credentials, storeKey };
  }

  /** A Basic login reuses its cached session; only a cold one logs in upstream. */
  private async fromBasic(userId: string, token: string, context: CallContext): Promise<AuthenticatedCaller> {
    const storeKey = this.keys.login(userId, token);
    try {
      const record = await this.load(storeKey);
      if (record) return { scheme: 'basic', userId, credentials: record.credentials, storeKey };
    } catch (error) {
      if (!(error instanceof SessionStoreUnavailableError)) throw error;
      return { scheme: 'basic', userId, credentials: await this.upstreamLogin.uncached(userId, token, context), storeKey: undefined };
    }
    return this.loginOnce(storeKey, () => this.loginAndCache(storeKey, userId, token, context));
  }

  private async loginAndCache(storeKey: string, userId: string, token: string, context: CallContext): Promise<AuthenticatedCaller> {
    const credentials = await this.upstreamLogin.exchange(userId, token, context);
    try {
      await this.save(storeKey, this.newRecord(userId, token, credentials));
      return { scheme: 'basic', userId, credentials, storeKey };
    } catch (error) {
      // The login worked; a store that failed meanwhile only costs the caching.
      if (error instanceof SessionStoreUnavailableError) return { scheme: 'basic', userId, credentials, storeKey: undefined };
      throw error;
    }
  }

  private loginOnce(storeKey: string, login: () => Promise<AuthenticatedCaller>): Promise<AuthenticatedCaller> {
    const running = this.loginsInFlight.get(storeKey);
    if (running) return running;
    const started = login().finally(() => this.loginsInFlight.delete(storeKey));
    this.loginsInFlight.set(storeKey, started);
    return started;
  }

  /** Reads a live record and slides its idle expiry, never past its absolute end. */
  private async load(storeKey: string): Promise<SessionRecord | undefined> {
    const sealed = await this.store.readAndSlide(storeKey, this.settings.idleTtlMs);
    if (sealed === null) return undefined;
    const opened = this.cipher.open(sealed, storeKey);
    const record = opened === undefined ? undefined : parseSessionRecord(opened);
    const now = this.clock.now();
    if (!record || record.endsAt <= now) {
      await this.store.remove(storeKey);
      return undefined;
    }
    if (record.endsAt < now + this.settings.idleTtlMs) await this.store.expireAt(storeKey, record.endsAt);
    return record;
  }

  private async save(storeKey: string, record: SessionRecord): Promise<void> {
    const ttlMs = this.idleEnd(record, record.createdAt) - record.createdAt;
    await this.store.write(storeKey, this.cipher.seal(JSON.stringify(record), storeKey), ttlMs);
  }

  private newRecord(userId: string, token: string, credentials: SessionRecord['credentials']): SessionRecord {
    const createdAt = this.clock.now();
    return { userId, token, credentials, createdAt, endsAt: createdAt + this.settings.maxAgeMs };
  }

  private idleEnd(record: SessionRecord, from: number): number {
    return Math.min(from + this.settings.idleTtlMs, record.endsAt);
  }
}
