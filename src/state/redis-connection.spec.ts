import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { OUTAGE_SAFE_OPTIONS, redisConnection } from './redis-connection.js';
import { loadConfig } from '../config/load-config.js';

const production = {
  NODE_ENV: 'production',
  DEEPCALL_BASE_URL: 'https://api.example.com',
  SESSION_SECRET: 's'.repeat(40),
};

describe('redisConnection', () => {
  it('uses REDIS_URL as it is (redis:// or rediss://), with the outage-safe options', () => {
    const connection = redisConnection(loadConfig({ ...production, REDIS_URL: 'rediss://user:pw@cache:6380/2' }).redis);
    expect(connection).toEqual({
      mode: 'standalone',
      url: 'rediss://user:pw@cache:6380/2',
      options: OUTAGE_SAFE_OPTIONS,
    });
    expect(OUTAGE_SAFE_OPTIONS).toMatchObject({
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: expect.any(Number),
    });
  });

  it('applies REDIS_USERNAME and REDIS_PASSWORD to a REDIS_URL without credentials', () => {
    const connection = redisConnection(
      loadConfig({ ...production, REDIS_URL: 'redis://redis:6379', REDIS_USERNAME: 'app', REDIS_PASSWORD: 'pw' }).redis,
    );
    expect(connection).toEqual({
      mode: 'standalone',
      url: 'redis://redis:6379',
      options: { ...OUTAGE_SAFE_OPTIONS, username: 'app', password: 'pw' },
    });
    const passwordOnly = redisConnection(
      loadConfig({ ...production, REDIS_URL: 'redis://redis:6379/1', REDIS_PASSWORD: 'pw' }).redis,
    );
    expect(passwordOnly?.options).toEqual({ ...OUTAGE_SAFE_OPTIONS, password: 'pw' });
    expect(passwordOnly?.options).not.toHaveProperty('username');
  });

  it('reaches ioredis as the credentials it logs in with (URL first, then the settings)', () => {
    const credentialsOf = (env: Record<string, string>) => {
      const connection = redisConnection(loadConfig({ ...production, ...env }).redis);
      if (connection?.mode !== 'standalone') throw new Error('expected a standalone connection');
      const client = new Redis(connection.url, { ...connection.options, lazyConnect: true });
      const { username, password } = client.options;
      client.disconnect();
      return { username, password };
    };
    expect(credentialsOf({ REDIS_URL: 'redis://redis:6379', REDIS_USERNAME: 'app', REDIS_PASSWORD: 'pw' })).toEqual({
      username: 'app',
      password: 'pw',
    });
    expect(credentialsOf({ REDIS_URL: 'redis://u:url-pw@redis:6379', REDIS_PASSWORD: 'env-pw' })).toEqual({
      username: 'u',
      password: 'url-pw',
    });
  });

  it("keeps a REDIS_URL's own credentials over REDIS_USERNAME and REDIS_PASSWORD", () => {
    for (const url of ['redis://user:url-pw@cache:6379', 'redis://:url-pw@cache:6379', 'rediss://user@cache:6380']) {
      const connection = redisConnection(
        loadConfig({ ...production, REDIS_URL: url, REDIS_USERNAME: 'app', REDIS_PASSWORD: 'env-pw' }).redis,
      );
      expect(connection).toEqual({ mode: 'standalone', url, options: OUTAGE_SAFE_OPTIONS });
    }
  });

  it('reaches a master through Sentinels, with credentials and TLS', () => {
    const config = loadConfig({
      ...production,
      REDIS_SENTINELS: 's1:26379, s2:26380',
      REDIS_SENTINEL_NAME: 'sessions',
      REDIS_PASSWORD: 'pw',
      REDIS_TLS: 'true',
    });
    const connection = redisConnection(config.redis);
    expect(connection?.mode).toBe('sentinel');
    expect(connection?.options).toMatchObject({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      name: 'sessions',
      password: 'pw',
      sentinelPassword: 'pw',
      tls: {},
      enableTLSForSentinelMode: true,
      enableOfflineQueue: false,
      commandTimeout: OUTAGE_SAFE_OPTIONS.commandTimeout,
    });
  });

  it('reaches a Cluster from some of its nodes, no offline queue on the cluster either', () => {
    const connection = redisConnection(
      loadConfig({ ...production, REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_USERNAME: 'app' }).redis,
    );
    expect(connection).toMatchObject({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      options: { enableOfflineQueue: false, redisOptions: { username: 'app', enableOfflineQueue: false } },
    });
  });

  it('means the in-process store when nothing is set (outside production)', () => {
    expect(redisConnection(loadConfig({}).redis)).toBeUndefined();
  });

  it('refuses two kinds of Redis at once, and production without any', () => {
    expect(() => loadConfig({ ...production, REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' })).toThrow(
      /alternatives/,
    );
    expect(() => loadConfig(production)).toThrow(/REDIS_URL \(or REDIS_SENTINELS, or REDIS_CLUSTER_NODES\)/);
    expect(() => loadConfig({ ...production, REDIS_SENTINELS: 'nohostport' })).toThrow(/REDIS_SENTINELS/);
  });
});
