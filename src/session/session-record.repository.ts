import { Injectable } from '@nestjs/common';
import { SessionCipher } from './session-cipher.js';
import { parseSessionRecord, SessionRecord } from './session-record.js';
import { SessionSettings } from './session-settings.js';
import { StateStore } from '../state/state-store.js';
import { Clock } from '../core/clock.js';
import { UpstreamCredentials } from '../deepcall/deepcall.types.js';

/** Cached Basic logins expire up to this share of the idle TTL early, so they do not expire together. */
const CACHE_TTL_JITTER = 0.05;

/** Reads and writes sealed session records, with sliding idle expiry under an absolute end. */
@Injectable()
export class SessionRecordRepository {
  constructor(
    private readonly store: StateStore,
    private readonly cipher: SessionCipher,
    private readonly settings: SessionSettings,
    private readonly clock: Clock,
  ) {}

  create(userId: string, token: string, credentials: UpstreamCredentials): SessionRecord {
    const createdAt = this.clock.now();
    return { userId, token, credentials, createdAt, endsAt: createdAt + this.settings.maxAgeMs };
  }

  /** A live record (its idle expiry slid forward, never past its end), or undefined. */
  async load(storeKey: string): Promise<SessionRecord | undefined> {
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

  /** Writes a record for a full idle period (a cache entry: a little less, at random). */
  async save(storeKey: string, record: SessionRecord, { cache = false } = {}): Promise<void> {
    const ttlMs = this.ttlMs(record, cache);
    if (ttlMs <= 0) return;
    await this.store.write(storeKey, this.cipher.seal(JSON.stringify(record), storeKey), ttlMs);
  }

  private ttlMs(record: SessionRecord, cache: boolean): number {
    const now = this.clock.now();
    const idle = cache
      ? Math.round(this.settings.idleTtlMs * (1 - Math.random() * CACHE_TTL_JITTER))
      : this.settings.idleTtlMs;
    return Math.min(now + idle, record.endsAt) - now;
  }

  /**
   * Rewrites a record that still exists (a renewed ssid); false when it is gone: revoked or
   * evicted meanwhile, and it stays gone.
   */
  async replace(storeKey: string, record: SessionRecord, { cache = false } = {}): Promise<boolean> {
    const ttlMs = this.ttlMs(record, cache);
    if (ttlMs <= 0) return false;
    return this.store.replace(storeKey, this.cipher.seal(JSON.stringify(record), storeKey), ttlMs);
  }

  async remove(storeKey: string): Promise<void> {
    await this.store.remove(storeKey);
  }

  /** When the record stops working if unused from now on. */
  idleEnd(record: SessionRecord): number {
    return Math.min(this.clock.now() + this.settings.idleTtlMs, record.endsAt);
  }
}
