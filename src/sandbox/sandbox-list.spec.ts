import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { postJson } from '../../test/support/sandbox-http-client.js';
import { DEMO_LOGIN, startSandbox, type RunningSandbox } from './sandbox.server.js';

describe('sandbox list', () => {
  let sandbox: RunningSandbox;
  let ids: number[];
  const list = async (body: Record<string, unknown> = {}) =>
    (await postJson(sandbox.url, '/api/v2/Group/list', { ...DEMO_LOGIN, ...body })).body;
  const response = async (body: Record<string, unknown> = {}) =>
    (await list(body)).response as Array<Record<string, unknown>>;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.control.reset();
    ids = [];
    for (const name of ['Sales Team', 'Support', 'Marketing']) {
      ids.push((await postJson(sandbox.url, '/api/v2/Group/add', { ...DEMO_LOGIN, name })).body.groupId!);
    }
  });

  it('answers the caller’s groups as full records sorted by id', async () => {
    sandbox.control.addUser('other', 'other-token');
    sandbox.control.seedGroups('other', 2);
    const answer = await list({ forward: false });
    expect(answer.status).toBe('success');
    expect(answer.code).toBe(200);
    expect(answer.response).toEqual(
      ['Sales Team', 'Support', 'Marketing'].map((name, index) => ({
        id: ids[index],
        name,
        user_id: 'demo',
        status: 1,
        create_date: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      })),
    );
  });

  it('shows a deactivated group with status 0 and a rename at once', async () => {
    await postJson(sandbox.url, '/api/v2/Group/update', {
      ...DEMO_LOGIN,
      groupId: ids[1],
      name: 'Help desk',
      status: 0,
    });
    expect((await response())[1]).toMatchObject({ id: ids[1], name: 'Help desk', status: 0 });
  });

  it('answers only id and name with quick: true', async () => {
    expect(await response({ quick: true })).toEqual([
      { id: ids[0], name: 'Sales Team' },
      { id: ids[1], name: 'Support' },
      { id: ids[2], name: 'Marketing' },
    ]);
  });

  it('filters by id under either spelling, as number or string', async () => {
    for (const filter of [
      { groupid: String(ids[1]) },
      { groupid: ids[1] },
      { groupId: ids[1] },
      { groupId: String(ids[1]) },
    ]) {
      expect((await response(filter)).map((group) => group.name)).toEqual(['Support']);
    }
  });

  it('filters by name substring, case-insensitively, and combines filters', async () => {
    expect((await response({ name: 'm' })).map((group) => group.name)).toEqual(['Sales Team', 'Marketing']);
    expect((await response({ name: 'SUP' })).map((group) => group.name)).toEqual(['Support']);
    expect((await response({ name: 'm', groupId: ids[2] })).map((group) => group.name)).toEqual(['Marketing']);
  });

  it('answers 1012 "No data found" when nothing matches (default emptyListAs)', async () => {
    expect(await list({ name: 'zzz' })).toEqual({ status: 'error', message: 'No data found', code: 1012 });
    sandbox.control.reset();
    expect((await list()).code).toBe(1012);
  });

  it('answers an empty response when emptyListAs is "empty"', async () => {
    sandbox.control.configure({ emptyListAs: 'empty' });
    expect(await list({ name: 'zzz' })).toEqual({ status: 'success', response: [], code: 200 });
    sandbox.control.configure({ listShape: 'object-by-id' });
    expect(await list({ groupId: 999_999 })).toEqual({ status: 'success', response: {}, code: 200 });
  });

  it('answers an object keyed by id with listShape "object-by-id"', async () => {
    sandbox.control.configure({ listShape: 'object-by-id' });
    const answer = (await list({ quick: true })).response as Record<string, unknown>;
    expect(answer).toEqual({
      [String(ids[0])]: { id: ids[0], name: 'Sales Team' },
      [String(ids[1])]: { id: ids[1], name: 'Support' },
      [String(ids[2])]: { id: ids[2], name: 'Marketing' },
    });
  });

  it.each(['groupId', 'group_id', 'groupid'] as const)('puts the id under "%s" when configured', async (idField) => {
    sandbox.control.configure({ idField });
    const [first] = await response();
    expect(first).toMatchObject({ [idField]: ids[0], name: 'Sales Team' });
    expect(first).not.toHaveProperty('id');
  });

  it('emits ids as strings with idsAsStrings, even right after an answer with numbers', async () => {
    expect((await response({ quick: true }))[0]).toEqual({ id: ids[0], name: 'Sales Team' });
    sandbox.control.configure({ idsAsStrings: true });
    expect((await response({ quick: true }))[0]).toEqual({ id: String(ids[0]), name: 'Sales Team' });
  });

  it('answers 1001 for wrongly typed forward, quick, id or name filters', async () => {
    for (const body of [{ forward: 'yes' }, { quick: 1 }, { groupId: 'abc' }, { name: 5 }]) {
      expect((await list(body)).code).toBe(1001);
    }
  });

  it('lists 10,000 seeded groups, and sees changes made after a cached answer', async () => {
    const seeded = sandbox.control.seedGroups('demo', 10_000, 'Bench');
    expect(seeded).toHaveLength(10_000);
    expect(await response({ quick: true })).toHaveLength(10_003);
    await postJson(sandbox.url, '/api/v2/Group/delete', { ...DEMO_LOGIN, groupId: seeded[0] });
    const after = await response({ quick: true });
    expect(after).toHaveLength(10_002);
    expect(after[3]).toEqual({ id: seeded[1], name: 'Bench 2' });
  });
});
