import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

interface AuditLine {
  log: string;
  requestId: string;
  audit: { action: string; groupId: number | null; outcome: string; actor: string };
}

let sandbox: RunningSandbox;
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  sandbox = await startSandbox();
  // Two replicas sharing the secret, as in production.
  const env = { REDIS_KEY_PREFIX: `test-${randomUUID()}:`, SESSION_SECRET: randomBytes(32).toString('base64url') };
  [a, b] = await Promise.all([startTestApp({ sandboxOf: sandbox, env }), startTestApp({ sandboxOf: sandbox, env })]);
});
afterAll(async () => {
  await a.close();
  await b.close();
  await sandbox.close();
});
afterEach(() => sandbox.control.clearFaults());

const auditLines = (t: TestApp) => t.logs.entries().filter((entry) => entry.log === 'audit') as unknown as AuditLine[];
const auditOf = (t: TestApp, requestId: string) => auditLines(t).filter((line) => line.requestId === requestId);

describe('the audit line', () => {
  it('records create, update and delete with the group, the outcome and a pseudonym of the user', async () => {
    const user = newLogin(sandbox);
    const created = await a.http
      .post('/v1/groups')
      .set('authorization', user.authorization)
      .send({ name: 'Audited' })
      .expect(201);
    const id = created.body.id as number;
    const updated = await a.http
      .patch(`/v1/groups/${id}`)
      .set('authorization', user.authorization)
      .send({ status: 'inactive' })
      .expect(200);
    const deleted = await b.http.delete(`/v1/groups/${id}`).set('authorization', user.authorization).expect(204);

    const [create] = auditOf(a, created.headers['x-request-id']);
    const [update] = auditOf(a, updated.headers['x-request-id']);
    const [remove] = auditOf(b, deleted.headers['x-request-id']);
    expect(create.audit).toMatchObject({ action: 'group.create', groupId: id, outcome: 'success' });
    expect(update.audit).toMatchObject({ action: 'group.update', groupId: id, outcome: 'success' });
    expect(remove.audit).toMatchObject({ action: 'group.delete', groupId: id, outcome: 'success' });
    // One line per write, the same pseudonym on both replicas, never the userId.
    expect(auditOf(a, created.headers['x-request-id'])).toHaveLength(1);
    expect(create.audit.actor).toBe(remove.audit.actor);
    expect(update.audit.actor).toBe(create.audit.actor);
    expect(create.audit.actor).not.toContain(user.userId);
    expect(JSON.stringify([...auditLines(a), ...auditLines(b)])).not.toContain(user.userId);
    // Another user is another pseudonym.
    const other = newLogin(sandbox);
    const otherCreated = await a.http
      .post('/v1/groups')
      .set('authorization', other.authorization)
      .send({ name: 'Other' })
      .expect(201);
    expect(auditOf(a, otherCreated.headers['x-request-id'])[0].audit.actor).not.toBe(create.audit.actor);
  });

  it('records a write DeepCall refused as a failure', async () => {
    const user = newLogin(sandbox);
    const response = await a.http.delete('/v1/groups/987654').set('authorization', user.authorization).expect(404);
    expect(auditOf(a, response.headers['x-request-id']).map((line) => line.audit)).toEqual([
      expect.objectContaining({ action: 'group.delete', groupId: 987654, outcome: 'failure' }),
    ]);
  });

  it('records a create found to have landed after its own request timed out', async () => {
    const t = await startTestApp({
      sandboxOf: sandbox,
      env: { DEEPCALL_TIMEOUT_MS: '300', REQUEST_DEADLINE_MS: '800' },
    });
    try {
      const user = newLogin(sandbox);
      const create = () =>
        t.http
          .post('/v1/groups')
          .set('authorization', user.authorization)
          .set('idempotency-key', 'late-create')
          .send({ name: 'Stored late' });
      sandbox.control.setFault({ op: 'add', mode: 'delay', delayMs: 500, times: 1 });
      const first = await create().expect(504);
      // The key is held (409) while the first attempt may still run; then the retry reconciles.
      let retry!: Awaited<ReturnType<typeof create>>;
      await waitFor(async () => (retry = await create()).status !== 409, 5000, 'the key to be free');
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(auditOf(t, first.headers['x-request-id']).map((line) => line.audit.outcome)).toEqual(['failure']);
      expect(auditOf(t, retry.headers['x-request-id']).map((line) => line.audit)).toEqual([
        expect.objectContaining({ action: 'group.create', groupId: retry.body.id, outcome: 'success' }),
      ]);
    } finally {
      await t.close();
    }
  });

  it('writes no line for a write that never reached DeepCall', async () => {
    const user = newLogin(sandbox);
    const invalid = await a.http
      .post('/v1/groups')
      .set('authorization', user.authorization)
      .send({ name: '' })
      .expect(400);
    const unauthorized = await a.http.delete('/v1/groups/1').expect(401);
    expect(auditOf(a, invalid.headers['x-request-id'])).toEqual([]);
    expect(auditOf(a, unauthorized.headers['x-request-id'])).toEqual([]);
  });
});
