import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { ServiceProcess, spawnService } from '../support/service-process.js';
import { basic, newLogin as sandboxLogin, testRedisUrl } from '../support/test-app.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

// A rotation of SESSION_SECRET across real processes (built as production runs them) sharing
// one Redis: the old replica writes under the old secret, the new one reads that and writes
// under the new secret.
const OLD_SECRET = randomBytes(32).toString('base64url');
const NEW_SECRET = randomBytes(32).toString('base64url');

let sandbox: RunningSandbox;
let oldReplica: ServiceProcess;
let newReplica: ServiceProcess;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  for (const service of running) {
    service.child.kill('SIGTERM');
    await service.exited;
  }
  await sandbox.close();
});

async function start(secrets: Record<string, string>, prefix: string): Promise<ServiceProcess> {
  const service = await spawnService(
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DEEPCALL_BASE_URL: sandbox.url,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      ...secrets,
    },
    // The test's state is in Redis.
    { waitUntil: 'dependencies' },
  );
  running.push(service);
  return service;
}

const call = (
  service: ServiceProcess,
  method: string,
  path: string,
  authorization: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) =>
  fetch(`${service.url}${path}`, {
    method,
    headers: { authorization, ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

describe('SESSION_SECRET rotation', () => {
  it('reads sessions, cached logins and idempotency keys written under SESSION_SECRET_PREVIOUS, and writes under SESSION_SECRET', async () => {
    const prefix = `test-${randomUUID()}:`;
    const { userId, token } = sandboxLogin(sandbox, 'rotating');
    oldReplica = await start({ SESSION_SECRET: OLD_SECRET }, prefix);

    // Written by the old replica under the old secret.
    const login = await call(oldReplica, 'POST', '/v1/sessions', '', { body: { userId, token } });
    expect(login.status).toBe(201);
    const { sessionId } = (await login.json()) as { sessionId: string };
    const created = await call(oldReplica, 'POST', '/v1/groups', `Bearer ${sessionId}`, {
      body: { name: 'Before rotation' },
      headers: { 'idempotency-key': 'rotation-1' },
    });
    expect(created.status).toBe(201);
    const group = (await created.json()) as { id: number };
    expect((await call(oldReplica, 'GET', '/v1/groups', basic(userId, token))).status).toBe(200);

    newReplica = await start({ SESSION_SECRET: NEW_SECRET, SESSION_SECRET_PREVIOUS: OLD_SECRET }, prefix);
    // The new replica reads all three.
    expect((await call(newReplica, 'GET', '/v1/groups', `Bearer ${sessionId}`)).status).toBe(200);
    const replayed = await call(newReplica, 'POST', '/v1/groups', `Bearer ${sessionId}`, {
      body: { name: 'Before rotation' },
      headers: { 'idempotency-key': 'rotation-1' },
    });
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replayed.json()) as { id: number }).id).toBe(group.id);
    expect(sandbox.control.groupsOf(userId)).toHaveLength(1);
    const listsBefore = sandbox.control.stats().requests.list;
    expect((await call(newReplica, 'GET', '/v1/groups', basic(userId, token))).status).toBe(200);
    expect(sandbox.control.stats().requests.list - listsBefore).toBe(1); // the cached login, not a new one

    // What the new replica writes is under the new secret: the old replica cannot read it.
    const newLogin = await call(newReplica, 'POST', '/v1/sessions', '', { body: { userId, token } });
    const { sessionId: newSessionId } = (await newLogin.json()) as { sessionId: string };
    expect((await call(newReplica, 'GET', '/v1/groups', `Bearer ${newSessionId}`)).status).toBe(200);
    expect((await call(oldReplica, 'GET', '/v1/groups', `Bearer ${newSessionId}`)).status).toBe(401);

    // Logging out on the new replica ends the session written under the old secret, everywhere.
    expect((await call(newReplica, 'DELETE', '/v1/sessions/current', `Bearer ${sessionId}`)).status).toBe(204);
    expect((await call(oldReplica, 'GET', '/v1/groups', `Bearer ${sessionId}`)).status).toBe(401);
  });
});
