import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { StateStoreUnavailableError } from '../state/state-store-unavailable.error.js';
import { StoreGate } from '../state/store-gate.js';
import { type RedisTarget, sendInRedisSpan } from '../telemetry/redis-span.js';

type CounterOperation = 'get' | 'consume' | 'reward' | 'delete' | 'block';

/** The Redis command rate-limiter-flexible sends for each (its Lua script is sent by EVALSHA): its span's name. */
const REDIS_COMMAND: Record<CounterOperation, string> = {
  get: 'MULTI',
  consume: 'EVALSHA',
  reward: 'EVALSHA',
  delete: 'DEL',
  block: 'MULTI',
};

/** What the login throttle does with a counter. */
export type Counter = Pick<RateLimiterAbstract, 'get' | 'consume' | 'reward' | 'delete' | 'block'>;

/**
 * A counter shared through Redis with an insurance limiter in this replica's memory (the same
 * limits), as rate-limiter-flexible's `insuranceLimiter` does, but driven by the store gate:
 * while Redis is known down, or the request's store budget is spent, the count goes to memory at
 * once. The library's own option would wait out the command timeout on every call, and swallow
 * the failure the gate needs to see.
 */
export class InsuredCounter implements Counter {
  constructor(
    private readonly shared: RateLimiterAbstract,
    private readonly insurance: RateLimiterAbstract,
    private readonly gate: StoreGate,
    /** Where the shared counters are, for their spans. */
    private readonly target: RedisTarget = {},
  ) {}

  get(key: string | number): Promise<RateLimiterRes | null> {
    return this.either('get', (limiter) => limiter.get(key));
  }

  consume(key: string | number, points?: number): Promise<RateLimiterRes> {
    return this.either('consume', (limiter) => limiter.consume(key, points));
  }

  reward(key: string | number, points?: number): Promise<RateLimiterRes> {
    return this.either('reward', (limiter) => limiter.reward(key, points));
  }

  delete(key: string | number): Promise<boolean> {
    return this.either('delete', (limiter) => limiter.delete(key));
  }

  block(key: string | number, secDuration: number): Promise<RateLimiterRes> {
    return this.either('block', (limiter) => limiter.block(key, secDuration));
  }

  private async either<T>(operation: CounterOperation, use: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    try {
      const send = () => sendInRedisSpan(REDIS_COMMAND[operation], this.target, () => use(this.shared));
      return await this.gate.run(`counter-${operation}`, send, isRefusal);
    } catch (error) {
      if (!(error instanceof StateStoreUnavailableError)) throw error;
      return use(this.insurance);
    }
  }
}

/** Over the limit: Redis's answer, not its failure. */
function isRefusal(error: unknown): boolean {
  return error instanceof RateLimiterRes;
}
