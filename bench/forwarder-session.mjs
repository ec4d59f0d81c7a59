// F's sessions: a line-for-line reimplementation of src/session/{session-secrets,session-cipher,
// session-record}.ts, src/state/redis-keys.ts and the lookup in session.service.ts. Same HKDF labels, same
// HMAC key names, same AES-256-GCM format ("v1." + base64url(iv|ciphertext|tag), key name as
// AAD), same GETEX PX slide: records written by the service open here and the other way round
// (the bench checks both directions before measuring).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

const VERSION = 'v1';
/** Cached Basic logins expire up to this share of the idle TTL early (session-record.repository.ts). */
const CACHE_TTL_JITTER = 0.05;
const LOCK_WAIT_STEP_MS = 20;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The service's REDIS_OPTIONS (src/state/redis-client.factory.ts), so both clients behave alike. */
const REDIS_OPTIONS = {
  connectTimeout: 2000,
  commandTimeout: 750,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000) + Math.floor(Math.random() * 100),
};

export class StoreUnavailable extends Error {}

export class Sessions {
  constructor({ redisUrl, secret, prefix, idleTtlMs, maxAgeMs, loginLockMs }) {
    this.redis = new Redis(redisUrl, REDIS_OPTIONS);
    this.redis.on('error', () => {}); // reported by /health/ready and per request, not per reconnect
    // Deletes the lock only if it still holds our token (the service's RELEASE_LOCK), by EVALSHA.
    this.redis.defineCommand('releaseLock', {
      numberOfKeys: 1,
      lua: "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
    });
    this.loginLockMs = loginLockMs;
    /** Logins under way in this process, so a burst of identical cold Basic requests logs in once. */
    this.inFlight = new Map();
    this.keyNaming = Buffer.from(hkdfSync('sha256', secret, 'groups-bff', 'redis-key-naming', 32));
    this.recordKey = Buffer.from(hkdfSync('sha256', secret, 'groups-bff', 'session-record-encryption', 32));
    this.prefix = prefix;
    this.idleTtlMs = idleTtlMs;
    this.maxAgeMs = maxAgeMs;
  }

  sessionKey(sessionId) {
    return `${this.prefix}session:${this.digest(`session\0${sessionId}`)}`;
  }

  loginKey(userId, token) {
    return `${this.prefix}login:${this.digest(`login\0${userId}\0${token}`)}`;
  }

  /** GETEX with the idle TTL, decrypt, check the absolute end; undefined when there is no live record. */
  async load(key) {
    let sealed;
    try {
      sealed = await this.redis.getex(key, 'PX', this.idleTtlMs);
    } catch {
      throw new StoreUnavailable('read');
    }
    if (sealed === null) return undefined;
    const opened = this.open(sealed, key);
    const record = opened === undefined ? undefined : parseRecord(opened);
    const now = Date.now();
    try {
      if (!record || record.endsAt <= now) {
        await this.redis.del(key);
        return undefined;
      }
      if (record.endsAt < now + this.idleTtlMs) await this.redis.pexpireat(key, record.endsAt);
    } catch {
      throw new StoreUnavailable('expire');
    }
    return record;
  }

  /** A new record for a checked login, sealed and written as a cache entry (jittered idle TTL). */
  async save(key, userId, token, credentials) {
    const createdAt = Date.now();
    const record = { userId, token, credentials, createdAt, endsAt: createdAt + this.maxAgeMs };
    const idle = Math.round(this.idleTtlMs * (1 - Math.random() * CACHE_TTL_JITTER));
    const ttlMs = Math.min(createdAt + idle, record.endsAt) - createdAt;
    try {
      await this.redis.set(key, this.seal(JSON.stringify(record), key), 'PX', ttlMs);
    } catch {
      throw new StoreUnavailable('write');
    }
    return record;
  }

  /**
   * login-coordinator.ts: one login per entry at a time, in this process (a shared promise) and
   * across processes (SET NX PX lock with a token; re-read under the lock; release by script;
   * losers poll the entry until the winner's record appears or the lock goes).
   */
  loginOnce(key, login) {
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.acrossProcesses(key, login).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  async acrossProcesses(key, login) {
    const lockKey = `${this.prefix}lock:${this.digest(`lock\0${key}`)}`;
    const giveUpAt = Date.now() + this.loginLockMs * 2;
    for (;;) {
      const token = randomUUID();
      if ((await this.command('lock', () => this.redis.set(lockKey, token, 'PX', this.loginLockMs, 'NX'))) === 'OK') {
        try {
          return (await this.load(key)) ?? (await login());
        } finally {
          await this.redis.releaseLock(lockKey, token).catch(() => undefined);
        }
      }
      while (Date.now() < giveUpAt) {
        await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_STEP_MS));
        const theirs = await this.load(key);
        if (theirs) return theirs;
        if ((await this.command('lock-check', () => this.redis.exists(lockKey))) !== 1) break;
      }
      if (Date.now() >= giveUpAt) return login();
    }
  }

  async command(operation, run) {
    try {
      return await run();
    } catch {
      throw new StoreUnavailable(operation);
    }
  }

  ping() {
    return this.redis.ping();
  }

  close() {
    return this.redis.quit().catch(() => this.redis.disconnect());
  }

  digest(value) {
    return createHmac('sha256', this.keyNaming).update(value).digest('base64url');
  }

  seal(plaintext, boundTo) {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.recordKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(boundTo));
    const sealed = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${sealed.toString('base64url')}`;
  }

  open(sealedText, boundTo) {
    if (!sealedText.startsWith(`${VERSION}.`)) return undefined;
    const sealed = Buffer.from(sealedText.slice(VERSION.length + 1), 'base64url');
    if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.recordKey, sealed.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

function parseRecord(json) {
  try {
    const record = JSON.parse(json);
    const valid =
      typeof record.userId === 'string' &&
      typeof record.token === 'string' &&
      typeof record.endsAt === 'number' &&
      typeof record.credentials === 'object';
    return valid ? record : undefined;
  } catch {
    return undefined;
  }
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CONTROL_CHARACTERS = /\p{Cc}/u;

/** src/session/authorization-header.ts: Bearer <43-char id> or Basic base64(userId:token); undefined = 401. */
export function parseAuthorization(header) {
  if (typeof header !== 'string') return undefined;
  const match = /^(\S+) +(\S+) *$/.exec(header);
  const scheme = match?.[1].toLowerCase();
  if (scheme === 'bearer' && SESSION_ID.test(match[2])) return { scheme, sessionId: match[2] };
  if (scheme !== 'basic') return undefined;
  const decoded = BASE64.test(match[2]) ? Buffer.from(match[2], 'base64').toString('utf8') : '';
  const separator = decoded.indexOf(':');
  const userId = decoded.slice(0, separator);
  const token = decoded.slice(separator + 1);
  const valid =
    separator > 0 &&
    token.length > 0 &&
    userId.length <= 128 &&
    token.length <= 512 &&
    !CONTROL_CHARACTERS.test(decoded) &&
    !decoded.includes('\uFFFD');
  return valid ? { scheme: 'basic', userId, token } : undefined;
}
