import { OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { SessionStoreUnavailableError } from './session-store-unavailable.error.js';
import { SessionStore } from './session-store.js';

/** Sessions in Redis, shared by every replica. Any Redis failure surfaces as "unavailable". */
export class RedisSessionStore extends SessionStore implements OnApplicationShutdown {
  readonly kind = 'redis';

  constructor(private readonly redis: Redis) {
    super();
  }

  readAndSlide(key: string, ttlMs: number): Promise<string | null> {
    return this.run('read', () => this.redis.getex(key, 'PX', ttlMs));
  }

  async expireAt(key: string, epochMs: number): Promise<void> {
    await this.run('expire', () => this.redis.pexpireat(key, epochMs));
  }

  async write(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run('write', () => this.redis.set(key, value, 'PX', ttlMs));
  }

  async remove(key: string): Promise<void> {
    await this.run('remove', () => this.redis.del(key));
  }

  async ping(): Promise<void> {
    await this.run('ping', () => this.redis.ping());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch {
      throw new SessionStoreUnavailableError(operation);
    }
  }
}
