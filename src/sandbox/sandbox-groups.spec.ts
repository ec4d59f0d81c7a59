import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { postJson } from '../../test/support/sandbox-http-client.js';
import { DEMO_LOGIN, startSandbox, type RunningSandbox } from './sandbox.server.js';

describe('sandbox add / update / delete', () => {
  let sandbox: RunningSandbox;
  const call = (op: string, body: Record<string, unknown>) =>
    postJson(sandbox.url, `/api/v2/Group/${op}`, { ...DEMO_LOGIN, ...body });
  const add = async (name: string): Promise<number> => (await call('add', { name })).body.groupId!;
  const names = () => sandbox.control.groupsOf('demo').map((group) => group.name);

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  describe('add', () => {
    it('creates an active group dated now (UTC) and answers its numeric id', async () => {
      const before = new Date().toISOString().slice(0, 19).replace('T', ' ');
      const answer = await call('add', { name: 'Sales Team' });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.body).toEqual({ status: 'success', groupId: expect.any(Number), code: 200 });
      const [group] = sandbox.control.groupsOf('demo');
      expect(group).toMatchObject({ id: answer.body.groupId, name: 'Sales Team', userId: 'demo', status: 1 });
      expect(group.createDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(group.createDate >= before).toBe(true);
    });

    it('gives positive, increasing ids unique across users', async () => {
      sandbox.control.addUser('other', 'other-token');
      const first = await add('A');
      const other = (
        await postJson(sandbox.url, '/api/v2/Group/add', { userId: 'other', token: 'other-token', name: 'A' })
      ).body.groupId!;
      const second = await add('B');
      expect(first).toBeGreaterThan(0);
      expect(other).toBeGreaterThan(first);
      expect(second).toBeGreaterThan(other);
    });

    it('does not reject duplicate names: it appends the first free number, ignoring case', async () => {
      await add('Sales');
      await add('sales');
      await add('SALES');
      expect(names()).toEqual(['Sales', 'sales 1', 'SALES 2']);
      await call('delete', { groupId: sandbox.control.groupsOf('demo')[1].id });
      await add('Sales');
      expect(names()).toEqual(['Sales', 'SALES 2', 'Sales 1']);
    });

    it('keeps names unique per user only', async () => {
      sandbox.control.addUser('other', 'other-token');
      await add('Sales');
      await postJson(sandbox.url, '/api/v2/Group/add', { userId: 'other', token: 'other-token', name: 'Sales' });
      expect(sandbox.control.groupsOf('other').map((group) => group.name)).toEqual(['Sales']);
    });

    it.each([[{}], [{ name: '' }], [{ name: '   ' }], [{ name: 12 }], [{ name: null }]])(
      'answers 1501 for %j',
      async (body) => {
        expect((await call('add', body)).body).toEqual({
          status: 'error',
          message: 'Group name is required',
          code: 1501,
        });
        expect(names()).toEqual([]);
      },
    );
  });

  describe('update', () => {
    it('renames and sets the status, with the id as a string or a number', async () => {
      const id = await add('Old');
      const answer = await call('update', { groupId: String(id), name: 'New', status: 0 });
      expect(answer.body).toEqual({ status: 'success', message: 'Group updated successfully', code: 200 });
      expect(sandbox.control.groupsOf('demo')[0]).toMatchObject({ name: 'New', status: 0 });
      await call('update', { groupId: id, name: 'Newer', status: '1' });
      expect(sandbox.control.groupsOf('demo')[0]).toMatchObject({ name: 'Newer', status: 1 });
    });

    it('resets the status to 1 when it is omitted (the documented default)', async () => {
      const id = await add('G');
      await call('update', { groupId: id, name: 'G', status: 0 });
      expect(sandbox.control.groupsOf('demo')[0].status).toBe(0);
      await call('update', { groupId: id, name: 'G' });
      expect(sandbox.control.groupsOf('demo')[0]).toMatchObject({ name: 'G', status: 1 });
    });

    it('suffixes a rename onto another group’s name, but not onto its own', async () => {
      await add('Sales');
      const id = await add('Support');
      await call('update', { groupId: id, name: 'SALES' });
      expect(names()).toEqual(['Sales', 'SALES 1']);
      await call('update', { groupId: id, name: 'sales 1' });
      expect(names()).toEqual(['Sales', 'sales 1']);
    });

    it('answers 1502 without groupId, 1001 for a non-numeric one, 1501 without name', async () => {
      const id = await add('G');
      expect((await call('update', { name: 'X' })).body.code).toBe(1502);
      expect((await call('update', { groupId: '', name: 'X' })).body.code).toBe(1502);
      expect((await call('update', { groupId: 'abc', name: 'X' })).body.code).toBe(1001);
      expect((await call('update', { groupId: -3, name: 'X' })).body.code).toBe(1001);
      expect((await call('update', { groupId: id })).body.code).toBe(1501);
      expect((await call('update', { groupId: id, name: ' ' })).body.code).toBe(1501);
      expect(names()).toEqual(['G']);
    });

    it('answers 1001 for a status other than 0 or 1', async () => {
      const id = await add('G');
      for (const status of [2, 'active', true, -1]) {
        expect((await call('update', { groupId: id, name: 'G', status })).body.code).toBe(1001);
      }
    });

    it('answers 1503 for an unknown group and for another user’s group', async () => {
      sandbox.control.addUser('other', 'other-token');
      const foreign = (
        await postJson(sandbox.url, '/api/v2/Group/add', { userId: 'other', token: 'other-token', name: 'Theirs' })
      ).body.groupId;
      expect((await call('update', { groupId: 999_999, name: 'X' })).body).toEqual({
        status: 'error',
        message: 'Group not found',
        code: 1503,
      });
      expect((await call('update', { groupId: foreign, name: 'Mine now' })).body.code).toBe(1503);
      expect(sandbox.control.groupsOf('other')[0].name).toBe('Theirs');
    });
  });

  describe('delete', () => {
    it('removes the group permanently', async () => {
      const id = await add('Doomed');
      await add('Kept');
      expect((await call('delete', { groupId: String(id) })).body).toEqual({
        status: 'success',
        message: 'Group deleted successfully',
        code: 200,
      });
      expect(names()).toEqual(['Kept']);
      expect((await call('delete', { groupId: id })).body.code).toBe(1503);
    });

    it('answers 1502 without groupId, 1001 for a non-numeric one, 1503 for another user’s group', async () => {
      sandbox.control.addUser('other', 'other-token');
      const foreign = (
        await postJson(sandbox.url, '/api/v2/Group/add', { userId: 'other', token: 'other-token', name: 'Theirs' })
      ).body.groupId;
      expect((await call('delete', {})).body).toEqual({ status: 'error', message: 'Group id is required', code: 1502 });
      expect((await call('delete', { groupId: '12x' })).body.code).toBe(1001);
      expect((await call('delete', { groupId: foreign })).body.code).toBe(1503);
      expect(sandbox.control.groupsOf('other')).toHaveLength(1);
    });
  });
});
