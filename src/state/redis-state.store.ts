import { OnApplicationShutdown } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { StateStore } from './state-store.js';
import { StoreGate } from './store-gate.js';
import { type RedisTarget, redisTargetOf, sendInRedisSpan } from '../telemetry/redis-span.js';

// Deletes the lock only if it still holds our token: never another holder's lock.
const RELEASE_LOCK =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Sessions in Redis, shared by every replica. Every command passes the store gate: any Redis
 * failure surfaces as "unavailable", within the request's store budget, at once while Redis is known down.
 */
export class RedisStateStore extends StateStore implements OnApplicationShutdown {
  readonly kind = 'redis';
  private readonly target: RedisTarget;

  constructor(
    private readonly redis: Redis | Cluster,
    readonly gate: StoreGate,
  ) {
    super();
    this.target = redisTargetOf(redis);
  }

  readAndSlide(key: string, ttlMs: number): Promise<string | null> {
    return this.run('read', 'GETEX', () => this.redis.getex(key, 'PX', ttlMs));
  }

  async expireAt(key: string, epochMs: number): Promise<void> {
    await this.run('expire', 'PEXPIREAT', () => this.redis.pexpireat(key, epochMs));
  }

  async write(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run('write', 'SET', () => this.redis.set(key, value, 'PX', ttlMs));
  }

  async writeIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.run('write-if-absent', 'SET', () => this.redis.set(key, value, 'PX', ttlMs, 'NX'))) === 'OK';
  }

  async replace(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.run('replace', 'SET', () => this.redis.set(key, value, 'PX', ttlMs, 'XX'))) === 'OK';
  }

  read(key: string): Promise<string | null> {
    return this.run('read', 'GET', () => this.redis.get(key));
  }

  async remove(key: string): Promise<void> {
    await this.run('remove', 'DEL', () => this.redis.del(key));
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    return (await this.writeIfAbsent(key, token, ttlMs)) ? token : null;
  }

  async releaseLock(key: string, token: string): Promise<void> {
    await this.run('unlock', 'EVAL', () => this.redis.eval(RELEASE_LOCK, 1, key, token));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.run('exists', 'EXISTS', () => this.redis.exists(key))) === 1;
  }

  async indexAdd(indexKey: string, member: string, score: number, ttlMs: number): Promise<string[]> {
    // One key per transaction, so it works unchanged on a Redis Cluster.
    return this.run('index-add', 'MULTI', async () => {
      const replies = await this.redis
        .multi()
        .zadd(indexKey, score, member)
        .pexpire(indexKey, ttlMs)
        .zrange(indexKey, 0, -1)
        .exec();
      const [error, members] = replies?.[2] ?? [new Error('transaction discarded'), undefined];
      if (error) throw error;
      return members as string[];
    });
  }

  async indexRemove(indexKey: string, members: string[]): Promise<void> {
    if (members.length > 0) await this.run('index-remove', 'ZREM', () => this.redis.zrem(indexKey, ...members));
  }

  async ping(): Promise<void> {
    await this.run('ping', 'PING', () => this.redis.ping());
  }

  async onApplicationShutdown(): Promise<void> {
    this.gate.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** `redisCommand` names the command's span (`GETEX`, `MULTI`): never its arguments. */
  private run<T>(operation: string, redisCommand: string, command: () => Promise<T>): Promise<T> {
    return this.gate.run(operation, () => sendInRedisSpan(redisCommand, this.target, command));
  }
}
