/**
 * Where the service's short-lived shared state lives (sessions, cached logins, login locks,
 * idempotency records): Redis in production, a Map in a single development process. Values are opaque strings; TTLs are in milliseconds.
 */
export abstract class StateStore {
  /** 'redis' or 'memory': said at start-up and by readiness. */
  abstract readonly kind: 'redis' | 'memory';

  /** Reads a value and, when present, restarts its TTL (sliding expiry) in the same step. */
  abstract readAndSlide(key: string, ttlMs: number): Promise<string | null>;

  /** Moves the expiry to an absolute instant (epoch ms), for the session's maximum age. */
  abstract expireAt(key: string, epochMs: number): Promise<void>;

  abstract write(key: string, value: string, ttlMs: number): Promise<void>;

  /** Writes only if the key does not exist; true when this call wrote it. */
  abstract writeIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;

  /**
   * Writes only if the key still exists; true when this call wrote it. What renews an entry
   * uses this, so a renewal racing a delete (a logout) cannot bring the entry back.
   */
  abstract replace(key: string, value: string, ttlMs: number): Promise<boolean>;

  /** Reads without touching the TTL. */
  abstract read(key: string): Promise<string | null>;

  abstract remove(key: string): Promise<void>;

  /**
   * Takes a lock that expires by itself (so a crashed holder cannot block others): the token
   * to release it with, or null when someone else holds it.
   */
  abstract acquireLock(key: string, ttlMs: number): Promise<string | null>;

  /** Releases the lock only if `token` still holds it. */
  abstract releaseLock(key: string, token: string): Promise<void>;

  abstract exists(key: string): Promise<boolean>;

  /**
   * Adds `member` to a sorted index (by `score`) whose whole TTL becomes `ttlMs`; answers the
   * index's members then, lowest score first.
   */
  abstract indexAdd(indexKey: string, member: string, score: number, ttlMs: number): Promise<string[]>;

  abstract indexRemove(indexKey: string, members: string[]): Promise<void>;

  /** Throws StateStoreUnavailableError when the store cannot be reached. */
  abstract ping(): Promise<void>;
}
