import { Injectable } from '@nestjs/common';
import { RedisKeys } from '../state/redis-keys.js';
import { SessionSettings } from './session-settings.js';
import { StateStore } from '../state/state-store.js';

/**
 * SESSION_MAX_PER_USER: each account's sessions in an index (by creation, keyed by an HMAC of
 * the userId); a new session beyond the limit evicts the oldest live ones. Every step touches
 * one key, so it works on a Redis Cluster.
 */
@Injectable()
export class AccountSessions {
  constructor(
    private readonly store: StateStore,
    private readonly keys: RedisKeys,
    private readonly settings: SessionSettings,
  ) {}

  async add(userId: string, storeKey: string, createdAt: number): Promise<void> {
    const index = this.keys.accountSessions(userId);
    const members = await this.store.indexAdd(index, storeKey, createdAt, this.settings.maxAgeMs);
    if (members.length <= this.settings.maxPerUser) return;
    // Sessions that ended by themselves (idle expiry) still sit in the index: they go first.
    const alive = await Promise.all(members.map((member) => this.store.exists(member)));
    const live = members.filter((_member, at) => alive[at]);
    const evicted = live.slice(0, Math.max(0, live.length - this.settings.maxPerUser));
    await Promise.all(evicted.map((member) => this.store.remove(member)));
    await this.store.indexRemove(index, [...members.filter((_member, at) => !alive[at]), ...evicted]);
  }

  /** Drops the session from the account's index, under either secret's key during a rotation. */
  async remove(userId: string, storeKey: string): Promise<void> {
    await Promise.all(
      this.keys.readable.map((keys) => this.store.indexRemove(keys.accountSessions(userId), [storeKey])),
    );
  }
}
