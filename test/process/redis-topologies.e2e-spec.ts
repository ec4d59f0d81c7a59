import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, PrivateRedis, startPrivateRedis } from '../../scripts/private-redis.mjs';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

// The service on a real Redis Sentinel setup and a real three-node Redis Cluster, as an
// operator who outgrew one Redis would run it: sessions, logins and idempotency keys work.
let sandbox: RunningSandbox;
const started: PrivateRedis[] = [];
let workDir: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  workDir = mkdtempSync(join(tmpdir(), 'groups-bff-redis-'));
});
afterAll(async () => {
  await Promise.all(started.map((redis) => redis.stop()));
  await sandbox.close();
  rmSync(workDir, { recursive: true, force: true });
});

async function exercise(t: TestApp): Promise<void> {
  const user = newLogin(sandbox);
  const { body } = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
  const bearer = `Bearer ${body.sessionId}`;
  await t.http
    .post('/v1/groups')
    .set('authorization', bearer)
    .set('idempotency-key', 'topology-1')
    .send({ name: 'On a topology' })
    .expect(201);
  const replay = await t.http
    .post('/v1/groups')
    .set('authorization', bearer)
    .set('idempotency-key', 'topology-1')
    .send({ name: 'On a topology' })
    .expect(201);
  expect(replay.headers['idempotent-replayed']).toBe('true');
  // As many at once as one user may have in flight (USER_MAX_CONCURRENT_CALLS).
  await Promise.all(
    Array.from({ length: 8 }, () => t.http.get('/v1/groups').set('authorization', user.authorization).expect(200)),
  );
  await t.http.delete('/v1/sessions/current').set('authorization', bearer).expect(204);
  await t.http.get('/v1/groups').set('authorization', bearer).expect(401);
  await t.http.get('/health/dependencies').expect(200);
}

describe('Redis Sentinel', () => {
  it('serves sessions through the master the Sentinel names', async () => {
    const master = await startPrivateRedis();
    started.push(master);
    const sentinelConfig = join(workDir, 'sentinel.conf');
    writeFileSync(
      sentinelConfig,
      `sentinel monitor groups 127.0.0.1 ${master.port} 1\nsentinel down-after-milliseconds groups 5000\n`,
    );
    const sentinel = await startPrivateRedis(undefined, [sentinelConfig, '--sentinel']);
    started.push(sentinel);
    const t = await startTestApp({
      sandboxOf: sandbox,
      inspectRedisUrl: master.url,
      env: { REDIS_URL: '', REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_NAME: 'groups' },
    });
    try {
      await exercise(t);
      expect((await t.keys()).length).toBeGreaterThan(0); // the keys landed on the master
    } finally {
      await t.close();
    }
  });
});

const CLUSTER_SLOTS = 16384;

async function nodeSeesWholeCluster(node: Redis): Promise<boolean> {
  try {
    const info = await node.cluster('INFO');
    const ranges = (await node.cluster('SLOTS')) as [number, number, ...unknown[]][];
    const covered = ranges.reduce((sum, [from, to]) => sum + (to - from + 1), 0);
    return info.includes('cluster_state:ok') && covered === CLUSTER_SLOTS && info.includes('cluster_known_nodes:3');
  } catch {
    return false;
  }
}

describe('Redis Cluster', () => {
  it('serves sessions on a three-node cluster (every operation touches one key)', async () => {
    const nodes: PrivateRedis[] = [];
    for (let n = 0; n < 3; n += 1) {
      const port = await freePort();
      const node = await startPrivateRedis(port, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(workDir, `nodes-${port}.conf`),
      ]);
      nodes.push(node);
      started.push(node);
    }
    const create = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8' },
    );
    expect(create.status).toBe(0);
    // Ready when every node, not just one, sees the whole cluster: a client starting earlier
    // can be handed a partial slot map by a node the news has not reached yet.
    const probes = nodes.map((node) => new Redis(node.url, { lazyConnect: true }));
    try {
      await waitFor(
        async () => (await Promise.all(probes.map(nodeSeesWholeCluster))).every(Boolean),
        10_000,
        'every node to see the whole cluster',
      );
    } finally {
      probes.forEach((probe) => probe.disconnect());
    }
    const t = await startTestApp({
      sandboxOf: sandbox,
      inspectRedisUrl: nodes[0].url,
      env: { REDIS_URL: '', REDIS_CLUSTER_NODES: nodes.map((node) => `127.0.0.1:${node.port}`).join(',') },
    });
    try {
      await exercise(t);
    } finally {
      await t.close();
    }
  });
});
