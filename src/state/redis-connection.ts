import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { HostPort, RedisSettings } from '../config/app-config.js';

/**
 * ioredis tuned so an outage never hangs a request: each command has a deadline and one retry,
 * nothing queues while disconnected, and reconnects back off with jitter. Auto-pipelining sends
 * the commands of one event-loop turn in one write: under load, one socket write for many
 * requests' session reads instead of one each.
 */
export const OUTAGE_SAFE_OPTIONS: RedisOptions = {
  enableAutoPipelining: true,
  connectTimeout: 2000,
  commandTimeout: 750,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000) + Math.floor(Math.random() * 100),
};

export type RedisConnection =
  | { mode: 'standalone'; url: string; options: RedisOptions }
  | { mode: 'sentinel'; options: RedisOptions }
  | { mode: 'cluster'; nodes: HostPort[]; options: ClusterOptions };

/** Which Redis to reach and how: one URL, Sentinels naming a master, or Cluster nodes. */
export function redisConnection(settings: RedisSettings): RedisConnection | undefined {
  const credentials: RedisOptions = {
    ...(settings.username && { username: settings.username }),
    ...(settings.password && { password: settings.password }),
  };
  const auth: RedisOptions = { ...credentials, ...(settings.tls && { tls: {} }) };
  if (settings.url) {
    // The URL's own credentials win; without any, REDIS_USERNAME/REDIS_PASSWORD apply, so the
    // password can come from a secret of its own while the URL stays in plain configuration.
    const options = urlHasCredentials(settings.url) ? OUTAGE_SAFE_OPTIONS : { ...OUTAGE_SAFE_OPTIONS, ...credentials };
    return { mode: 'standalone', url: settings.url, options };
  }
  if (settings.sentinels) {
    return {
      mode: 'sentinel',
      options: {
        ...OUTAGE_SAFE_OPTIONS,
        ...auth,
        sentinels: [...settings.sentinels],
        name: settings.sentinelName,
        // The sentinels share the master's credentials and TLS.
        ...(settings.password && { sentinelPassword: settings.password }),
        ...(settings.tls && { enableTLSForSentinelMode: true }),
      },
    };
  }
  if (settings.clusterNodes) {
    return {
      mode: 'cluster',
      nodes: [...settings.clusterNodes],
      options: {
        enableAutoPipelining: true,
        enableOfflineQueue: false,
        clusterRetryStrategy: OUTAGE_SAFE_OPTIONS.retryStrategy,
        redisOptions: { ...OUTAGE_SAFE_OPTIONS, ...auth },
      },
    };
  }
  return undefined;
}

/** Whether a redis:// URL carries a username or a password (`redis://:pw@host` counts). */
function urlHasCredentials(url: string): boolean {
  const { username, password } = new URL(url);
  return username !== '' || password !== '';
}
