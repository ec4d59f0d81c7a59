// Exactly-once creates under real faults: replicas are real processes (the build, as the
// container runs it) sharing a real Redis with append-only persistence, DeepCall is the sandbox
// over HTTP. Each test counts the groups upstream per Idempotency-Key.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivateRedis, startPrivateRedis } from '../../scripts/private-redis.mjs';
import { ServiceProcess, spawnService } from '../support/service-process.js';
import { newLogin } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

const DEADLINE_MS = 3000;
const CALL_TIMEOUT_MS = 1000;

let sandbox: RunningSandbox;
let redis: PrivateRedis;
let redisDir: string;
let env: Record<string, string>;
const services: ServiceProcess[] = [];
/** The replica every test sends its retries to. */
let service: ServiceProcess;

beforeAll(async () => {
  sandbox = await startSandbox();
  redisDir = mkdtempSync(join(tmpdir(), 'groups-bff-aof-'));
  redis = await startPrivateRedis(undefined, [], { appendOnlyDir: redisDir });
  env = {
    NODE_ENV: 'production',
    DEEPCALL_BASE_URL: sandbox.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `exactly-once-${randomBytes(4).toString('hex')}:`,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    REQUEST_DEADLINE_MS: String(DEADLINE_MS),
    DEEPCALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
    DEEPCALL_BREAKER_THRESHOLD: '1000',
    // Ten creates of one user are in flight at once when the replica is killed.
    USER_MAX_CONCURRENT_CALLS: '50',
    SHUTDOWN_DRAIN_DELAY_MS: '0',
    LOG_LEVEL: 'warn',
  };
  service = await replica();
});
afterEach(() => sandbox.control.clearFaults());
afterAll(async () => {
  for (const started of services) {
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
    await started.exited;
  }
  await redis.stop();
  await sandbox.close();
  rmSync(redisDir, { recursive: true, force: true });
});

/** A replica from the build, sent traffic once it reaches Redis (readiness checks this process only). */
async function replica(): Promise<ServiceProcess> {
  const started = await spawnService(env, { waitUntil: 'dependencies' });
  services.push(started);
  return started;
}

const newUser = () => newLogin(sandbox, 'once');

function create(target: ServiceProcess, authorization: string, key: string, name: string): Promise<Response> {
  return fetch(`${target.url}/v1/groups`, {
    method: 'POST',
    headers: { authorization, 'idempotency-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
}

/**
 * Retries as a client would while the answer is 409 (another attempt may still run): the first
 * other answer, when it came, and when the last request answered 409 was sent (performance.now()).
 */
async function retryWhileInFlight(
  replicaToRetry: ServiceProcess,
  authorization: string,
  key: string,
  name: string,
  limitMs: number,
) {
  const started = performance.now();
  let conflicts = 0;
  let lastConflictSentAt: number | undefined;
  for (;;) {
    const sentAt = performance.now();
    const response = await create(replicaToRetry, authorization, key, name);
    if (response.status !== 409)
      return { response, conflicts, afterMs: performance.now() - started, lastConflictSentAt };
    lastConflictSentAt = sentAt;
    conflicts += 1;
    expect(response.headers.get('retry-after')).toBe('1');
    if (performance.now() - started > limitMs) throw new Error(`still 409 after ${limitMs} ms`);
    // Shorter than Retry-After, to measure when the key is free, not when a polite client returns.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** How many groups upstream carry `name` or it with DeepCall's duplicate suffix. */
function groupsNamed(userId: string, name: string): number {
  return sandbox.control.groupsOf(userId).filter((group) => group.name === name || group.name.startsWith(`${name} `))
    .length;
}

describe('exactly-once creates, whatever fails', () => {
  it('a replica SIGKILLed mid-create: a retry on another replica waits at most the deadline, then answers the group created once', async () => {
    const doomed = await replica();
    const user = newUser();
    const keys = Array.from({ length: 10 }, (_, n) => ({
      key: randomUUID(),
      name: `Crash ${n} ${randomUUID().slice(0, 6)}`,
    }));
    // Half of the creates land upstream after the replica died (DeepCall finishes a request whose
    // client went away); the other half never land.
    sandbox.control.setFault({ op: 'add', mode: 'delay', delayMs: 1500, times: 5 });
    sandbox.control.setFault({ op: 'add', mode: 'hang', times: 5 });
    const before = sandbox.control.stats().requests.add;
    const started = performance.now();
    const inFlight = keys.map(({ key, name }) => create(doomed, user.authorization, key, name).catch(() => undefined));
    await waitFor(
      () => sandbox.control.stats().requests.add - before === keys.length,
      10_000,
      'every create to reach DeepCall',
    );
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    await Promise.all(inFlight);
    const killedAfterMs = performance.now() - started;

    const retries = await Promise.all(
      keys.map(({ key, name }) => retryWhileInFlight(service, user.authorization, key, name, DEADLINE_MS + 5000)),
    );
    for (const { response } of retries) expect(response.status).toBe(201);
    const replayed = retries.filter(({ response }) => response.headers.get('idempotent-replayed') === 'true').length;
    expect(replayed).toBe(5);
    for (const { name } of keys) expect(groupsNamed(user.userId, name)).toBe(1);
    expect(sandbox.control.groupsOf(user.userId)).toHaveLength(keys.length);
    // Held off (409) no longer than the dead attempts' deadline, counted from before they started.
    const conflictsUntil = Math.max(...retries.map(({ lastConflictSentAt }) => lastConflictSentAt ?? started));
    expect(conflictsUntil - started).toBeLessThan(DEADLINE_MS + 1000);
    expect(retries.every(({ conflicts }) => conflicts > 0)).toBe(true);
    const heldMs = Math.max(...retries.map(({ afterMs }) => afterMs));
    // A retry of a retry is a plain replay.
    const again = await create(service, user.authorization, keys[0].key, keys[0].name);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    console.log(
      `SIGKILL mid-create (killed ${Math.round(killedAfterMs)} ms after the attempts started): last 409 sent ${Math.round(conflictsUntil - started)} ms ` +
        `after they started, all answered ${Math.round(heldMs)} ms after the kill; ${replayed} replayed, ${keys.length - replayed} created by the retry; groups per key: 1`,
    );
  });

  it('a create that times out but is stored upstream: the retry answers that group, replayed, and creates nothing', async () => {
    const user = newUser();
    const key = randomUUID();
    const name = `Late ${randomUUID().slice(0, 6)}`;
    sandbox.control.setFault({ op: 'add', mode: 'delay', delayMs: CALL_TIMEOUT_MS + 500, times: 1 });
    const first = await create(service, user.authorization, key, name);
    expect(first.status).toBe(504);
    const retry = await retryWhileInFlight(service, user.authorization, key, name, DEADLINE_MS + 5000);
    expect(retry.response.status).toBe(201);
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
    const group = (await retry.response.json()) as { id: number; name: string };
    expect(group.name).toBe(name);
    expect(sandbox.control.groupsOf(user.userId).map((stored) => stored.id)).toEqual([group.id]);
    console.log(
      `create timed out but stored: 409 for ${Math.round(retry.afterMs)} ms after the 504; groups for the key: ${groupsNamed(user.userId, name)}`,
    );
  });

  it('a create that times out and never lands: the retry creates it once', async () => {
    const user = newUser();
    const key = randomUUID();
    const name = `Lost ${randomUUID().slice(0, 6)}`;
    sandbox.control.setFault({ op: 'add', mode: 'hang', times: 1 });
    expect((await create(service, user.authorization, key, name)).status).toBe(504);
    const retry = await retryWhileInFlight(service, user.authorization, key, name, DEADLINE_MS + 5000);
    expect(retry.response.status).toBe(201);
    expect(retry.response.headers.get('idempotent-replayed')).toBeNull();
    expect(groupsNamed(user.userId, name)).toBe(1);
  });

  it('Redis paused during the reservation: 503, and a retry once it is back creates at once (no lease left behind)', async () => {
    const user = newUser();
    const key = randomUUID();
    const name = `Paused ${randomUUID().slice(0, 6)}`;
    // A cached Basic login, so the reservation is the command that meets the frozen Redis.
    expect((await fetch(`${service.url}/v1/groups`, { headers: { authorization: user.authorization } })).status).toBe(
      200,
    );
    const addsBefore = sandbox.control.stats().requests.add;
    redis.freeze();
    let during: Response;
    try {
      during = await create(service, user.authorization, key, name);
    } finally {
      redis.thaw();
    }
    expect(during.status).toBe(503);
    expect(sandbox.control.stats().requests.add).toBe(addsBefore);
    // Back for the service once its waiting PING is answered (a store known down is skipped until then).
    await waitFor(
      async () => /^groups_bff_session_store_known_down 0$/m.test(await (await fetch(`${service.url}/metrics`)).text()),
      5000,
      'the service to see Redis answer again',
    );
    const retry = await create(service, user.authorization, key, name);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    const replay = await create(service, user.authorization, key, name);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(groupsNamed(user.userId, name)).toBe(1);
  });

  it('Redis restarted with append-only persistence: the key is remembered, the retry is a replay, sessions survive', async () => {
    const user = newUser();
    const key = randomUUID();
    const name = `Restart ${randomUUID().slice(0, 6)}`;
    const first = await create(service, user.authorization, key, name);
    expect(first.status).toBe(201);
    const login = await fetch(`${service.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: user.userId, token: user.token }),
    });
    const { sessionId } = (await login.json()) as { sessionId: string };
    await redis.shutdown();
    redis = await startPrivateRedis(redis.port, [], { appendOnlyDir: redisDir });
    // The service reconnects on its own; until then a create answers 503 and changes nothing.
    let retry!: Response;
    await waitFor(
      async () => {
        retry = await create(service, user.authorization, key, name);
        return retry.status !== 503;
      },
      15_000,
      'the service to reach the restarted Redis',
    );
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(await first.json());
    expect(groupsNamed(user.userId, name)).toBe(1);
    expect(
      (await fetch(`${service.url}/v1/groups`, { headers: { authorization: `Bearer ${sessionId}` } })).status,
    ).toBe(200);
  });
});
