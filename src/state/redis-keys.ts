import { createHmac } from 'node:crypto';
import type { SessionSecrets } from './session-secrets.js';
import { RecentDigests } from './recent-digests.js';

/**
 * The one place the keys of the state store are built: sessions, cached logins, login locks,
 * idempotency records, account indexes and login-failure counters. Every key that derives from
 * a secret or a person (session id, login, userId) is an HMAC of it: a key listing reveals
 * nothing and cannot be turned back into a credential or a userId.
 */
export class RedisKeys {
  /** The keys under SESSION_SECRET_PREVIOUS during a rotation: looked up, never written. */
  readonly previous: RedisKeys | undefined;
  /** These keys, then the previous secret's: where to look for something written before a rotation. */
  readonly readable: readonly RedisKeys[];
  /** The keys every request looks up again: a session's and a Basic login's. */
  private readonly recent = new RecentDigests((value) => this.digest(value));

  constructor(
    readonly prefix: string,
    private readonly secrets: SessionSecrets,
  ) {
    this.previous = secrets.previous && new RedisKeys(prefix, secrets.previous);
    this.readable = this.previous ? [this, this.previous] : [this];
  }

  /** A session issued by POST /v1/sessions. */
  session(sessionId: string): string {
    return `${this.prefix}session:${this.recent.of(`session\0${sessionId}`)}`;
  }

  /** The cached session of a Basic login (userId+token). */
  login(userId: string, token: string): string {
    return `${this.prefix}login:${this.recent.of(`login\0${userId}\0${token}`)}`;
  }

  /** The lock that lets one process at a time log in for the entry at `storeKey`. */
  loginLock(storeKey: string): string {
    return `${this.prefix}lock:${this.digest(`lock\0${storeKey}`)}`;
  }

  /** An Idempotency-Key, scoped to the user who sent it. */
  idempotency(userId: string, idempotencyKey: string): string {
    return `${this.prefix}idempotency:${this.digest(`idempotency\0${userId}\0${idempotencyKey}`)}`;
  }

  /** The lease of the one attempt that may be running for an Idempotency-Key (its record's key plus a suffix). */
  idempotencyLease(recordKey: string): string {
    return `${recordKey}:lease`;
  }

  /** The index of one account's sessions (oldest first), for SESSION_MAX_PER_USER. */
  accountSessions(userId: string): string {
    return `${this.prefix}account-sessions:${this.digest(`account-sessions\0${userId}`)}`;
  }

  /** What counts one account's rejected logins (the rate limiter adds its own prefix). */
  account(userId: string): string {
    return this.digest(`account\0${userId}`);
  }

  /** What counts one client address's rejected logins. */
  address(clientIp: string): string {
    return this.digest(`address\0${clientIp}`);
  }

  /** What remembers one rejected userId+token for a short while. */
  rejectedLogin(userId: string, token: string): string {
    return this.digest(`rejected-login\0${userId}\0${token}`);
  }

  private digest(value: string): string {
    return createHmac('sha256', this.secrets.keyNaming).update(value).digest('base64url');
  }
}
