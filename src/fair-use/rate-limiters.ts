import type { Cluster, Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

/**
 * Builds the counters of the fair-use limits: in Redis, shared by every replica, when the
 * service has Redis; in memory otherwise. While Redis is unreachable, each replica counts in
 * its own memory (the library's insurance limiter) rather than refusing or waving everyone through.
 */
export class RateLimiters {
  constructor(
    private readonly redis: Redis | Cluster | undefined,
    private readonly keyPrefix: string,
  ) {}

  create(name: string, points: number, durationSeconds: number): RateLimiterAbstract {
    // The library puts a colon between its prefix and the key.
    const options = { keyPrefix: `${this.keyPrefix}${name}`, points, duration: durationSeconds };
    if (!this.redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({
      ...options,
      storeClient: this.redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }
}
