// compose.yaml's Redis, run as compose would run it (its command and healthcheck, through sh,
// with redis.env's REDIS_PASSWORD in the environment) on a loopback port, and the built service
// reaching it with the password beside a REDIS_URL that carries none, as compose configures it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parse as parseYaml } from 'yaml';
import { CapturedProcess, spawnCaptured } from '../support/captured-process.js';
import { spawnService } from '../support/service-process.js';
import { waitFor } from '../support/wait-for.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';
import { freePort } from '../../scripts/private-redis.mjs';

interface ComposeService {
  command: string[];
  healthcheck: { test: string[] };
}
const redisService = (parseYaml(readFileSync('compose.yaml', 'utf8')) as { services: { redis: ComposeService } })
  .services.redis;
/** What the container's shell gets: compose turns `$$` into `$`. */
const unescape = (text: string): string => text.replace(/\$\$/g, '$');

const [shell, dashC, script] = redisService.command;
const [healthKind, healthScript] = redisService.healthcheck.test;

describe("compose.yaml's Redis", () => {
  let dir: string;
  let port: number;
  let redis: CapturedProcess;
  let sandbox: RunningSandbox;
  const password = randomBytes(16).toString('hex');

  /** The compose command, on a private port and directory (appended: later options win in Redis). */
  const start = (env: Record<string, string>) =>
    spawnCaptured(shell, [dashC, `${unescape(script)} --port ${port} --bind 127.0.0.1 --dir ${dir}`], {
      PATH: process.env.PATH,
      ...env,
    });
  /** The compose healthcheck against that port: its exit code. */
  const healthcheck = (env: Record<string, string>) =>
    spawnSync('sh', ['-c', unescape(healthScript).replace('redis-cli', `redis-cli -p ${port}`)], {
      env: { PATH: process.env.PATH, ...env },
    }).status;

  beforeAll(async () => {
    expect([shell, dashC, healthKind]).toEqual(['sh', '-c', 'CMD-SHELL']);
    dir = mkdtempSync(join(tmpdir(), 'groups-bff-compose-redis-'));
    port = await freePort();
    redis = start({ REDIS_PASSWORD: password });
    await waitFor(
      () => {
        if (!redis.running()) throw new Error(`redis-server exited:\n${redis.output()}`);
        return healthcheck({ REDIS_PASSWORD: password }) === 0;
      },
      10_000,
      'the compose healthcheck to pass',
    );
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    if (redis?.running()) {
      redis.child.kill('SIGTERM');
      await redis.exited;
    }
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start without a password', async () => {
    const unset = start({ REDIS_PASSWORD: '' });
    expect(await unset.exited).not.toBe(0);
    expect(unset.output()).toContain('set REDIS_PASSWORD in redis.env');
  });

  it('requires the password, keeps an append-only file, and its healthcheck needs the password too', async () => {
    // No ready check (its INFO would fail first) and no reconnects: the PING's own answer is the point.
    const anonymous = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const client = new Redis({ port, host: '127.0.0.1', password, lazyConnect: true });
    try {
      await anonymous.connect();
      await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    } finally {
      anonymous.disconnect();
      client.disconnect();
    }
    expect(healthcheck({ REDIS_PASSWORD: 'wrong' })).not.toBe(0);
    // and the password is not on its command line for `ps` to show
    expect(readFileSync(`/proc/${redis.child.pid}/cmdline`, 'utf8')).not.toContain(password);
  });

  it('is reached by the service with REDIS_PASSWORD beside a REDIS_URL without credentials', async () => {
    const env = {
      NODE_ENV: 'production',
      DEEPCALL_BASE_URL: sandbox.url,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_KEY_PREFIX: `compose-${randomBytes(4).toString('hex')}:`,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    };
    const withPassword = await spawnService({ ...env, REDIS_PASSWORD: password }, { waitUntil: 'dependencies' });
    try {
      const login = await fetch(`${withPassword.url}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'demo', token: 'demo-token' }),
      });
      expect(login.status).toBe(201);
    } finally {
      withPassword.child.kill('SIGTERM');
      expect(await withPassword.exited).toBe(0);
    }
    const without = await spawnService(env);
    try {
      expect((await fetch(`${without.url}/health/dependencies`)).status).toBe(503);
      expect(without.output()).not.toContain(password);
    } finally {
      without.child.kill('SIGTERM');
      expect(await without.exited).toBe(0);
    }
  });
});
