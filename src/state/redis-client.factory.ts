import { Logger } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import { RedisConnection } from './redis-connection.js';

const logger = new Logger('Redis');

export function createRedisClient(connection: RedisConnection): Redis | Cluster {
  const client =
    connection.mode === 'standalone'
      ? new Redis(connection.url, connection.options)
      : connection.mode === 'sentinel'
        ? new Redis(connection.options)
        : new Cluster(connection.nodes, connection.options);
  let reportedDown = false;
  // Without a listener ioredis prints every failed reconnect; one line per outage is enough.
  client.on('error', (error: NodeJS.ErrnoException) => {
    if (reportedDown) return;
    reportedDown = true;
    logger.warn(
      { redis: { mode: connection.mode, code: error.code ?? error.name } },
      'Redis unreachable; retrying in the background',
    );
  });
  client.on('ready', () => {
    if (reportedDown) logger.log('Redis reachable again');
    reportedDown = false;
  });
  return client;
}
