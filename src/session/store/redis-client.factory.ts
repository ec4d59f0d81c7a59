import { Logger } from '@nestjs/common';
import { Redis, RedisOptions } from 'ioredis';

const logger = new Logger('Redis');

/**
 * ioredis tuned so an outage never hangs a request: each command has a deadline and one retry,
 * nothing queues while disconnected, and reconnects back off with jitter.
 */
export const REDIS_OPTIONS: RedisOptions = {
  connectTimeout: 2000,
  commandTimeout: 750,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000) + Math.floor(Math.random() * 100),
};

export function createRedisClient(url: string): Redis {
  const client = new Redis(url, REDIS_OPTIONS);
  let reportedDown = false;
  // Without a listener ioredis prints every failed reconnect; one line per outage is enough.
  client.on('error', (error: NodeJS.ErrnoException) => {
    if (reportedDown) return;
    reportedDown = true;
    logger.warn({ redis: { code: error.code ?? error.name } }, 'Redis unreachable; retrying in the background');
  });
  client.on('ready', () => {
    if (reportedDown) logger.log('Redis reachable again');
    reportedDown = false;
  });
  return client;
}
