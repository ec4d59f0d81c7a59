import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { Counter, InsuredCounter } from './insured-counter.js';
import type { SharedRedis } from '../state/state-settings.js';
import { redisTargetOf } from '../telemetry/redis-span.js';

/**
 * Builds the counters of the fair-use limits: in Redis, shared by every replica, when the
 * service has Redis; in memory otherwise. While Redis is unreachable, each replica counts in
 * its own memory (an insurance limiter) rather than refusing or waving everyone through.
 */
export class RateLimiters {
  constructor(
    private readonly redis: SharedRedis | undefined,
    private readonly keyPrefix: string,
  ) {}

  create(name: string, points: number, durationSeconds: number): Counter {
    // The library puts a colon between its prefix and the key.
    const options = { keyPrefix: `${this.keyPrefix}${name}`, points, duration: durationSeconds };
    if (!this.redis) return new RateLimiterMemory(options);
    return new InsuredCounter(
      new RateLimiterRedis({ ...options, storeClient: this.redis.client, rejectIfRedisNotReady: true }),
      new RateLimiterMemory(options),
      this.redis.gate,
      redisTargetOf(this.redis.client),
    );
  }
}
