import { createHmac } from 'node:crypto';
import type { SessionSecrets } from '../session/session-secrets.js';

/**
 * The one place the keys of the state store are built: sessions, cached logins, login locks and
 * idempotency records. Every key that derives from a secret (session id, login) is an HMAC of
 * it: a key listing reveals nothing and cannot be turned back into a credential.
 */
export class RedisKeys {
  constructor(
    private readonly prefix: string,
    private readonly secrets: SessionSecrets,
  ) {}

  /** A session issued by POST /v1/sessions. */
  session(sessionId: string): string {
    return `${this.prefix}session:${this.digest(`session\0${sessionId}`)}`;
  }

  /** The cached session of a Basic login (userId+token). */
  login(userId: string, token: string): string {
    return `${this.prefix}login:${this.digest(`login\0${userId}\0${token}`)}`;
  }

  /** The lock that lets one process at a time log in for the entry at `storeKey`. */
  loginLock(storeKey: string): string {
    return `${this.prefix}lock:${this.digest(`lock\0${storeKey}`)}`;
  }

  /** An Idempotency-Key, scoped to the user who sent it. */
  idempotency(userId: string, idempotencyKey: string): string {
    return `${this.prefix}idempotency:${this.digest(`idempotency\0${userId}\0${idempotencyKey}`)}`;
  }

  private digest(value: string): string {
    return createHmac('sha256', this.secrets.keyNaming).update(value).digest('base64url');
  }
}
