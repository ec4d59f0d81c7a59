import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type RunningSandbox, startSandbox } from '../sandbox/sandbox.server.js';
import { CreatedGroups, deleteCreated } from './created-groups.js';
import { upstreamPost } from './upstream-http.js';

// The cleanup against a real sandbox over HTTP.
const USER = { userId: 'cleaner', token: 'cleaner-token' };
const RUN_NAME = 'drift-check 0123456789ab';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.control.reset();
  sandbox.control.addUser(USER.userId, USER.token);
});

const post = () => upstreamPost(sandbox.url, 2000, new AbortController().signal);
const names = () => sandbox.control.groupsOf(USER.userId).map((group) => group.name);

describe('deleteCreated', () => {
  it('deletes the groups whose add it saw answered, and nothing else', async () => {
    sandbox.control.seedGroups(USER.userId, 1, 'Sales');
    const created = new CreatedGroups();
    const [first, second] = sandbox.control.seedGroups(USER.userId, 2, RUN_NAME);
    created.track(first);
    created.track(second);

    const report = await deleteCreated(created, post(), USER, RUN_NAME);

    expect(report).toEqual({ deleted: [first, second], leftBehind: [] });
    expect(names()).toEqual(['Sales 1']);
    expect(created.remaining()).toEqual([]);
  });

  it("after an add that got no answer, also deletes what carries the run's name", async () => {
    sandbox.control.seedGroups(USER.userId, 1, 'Sales');
    sandbox.control.seedGroups(USER.userId, 2, RUN_NAME); // made by adds whose answers were lost
    const created = new CreatedGroups();
    await created.adding(async () => ({ failure: 'no answer within 2000 ms' }));
    expect(created.mayHaveUnseen()).toBe(true);

    const report = await deleteCreated(created, post(), USER, RUN_NAME);

    expect(report.deleted).toHaveLength(2);
    expect(report.leftBehind).toEqual([]);
    expect(names()).toEqual(['Sales 1']);
  });

  it('knows a group may exist after an add answered with no readable id, or not as JSON, but not after an error', async () => {
    const answered = (json: Record<string, unknown> | undefined) => async () => ({
      answer: { httpStatus: 200, contentType: 'application/json', text: JSON.stringify(json ?? '<html>'), json },
    });
    const afterError = new CreatedGroups();
    await afterError.adding(answered({ status: 'error', message: 'Group name is required', code: 1501 }));
    expect(afterError.mayHaveUnseen()).toBe(false);
    for (const json of [{ status: 'success', code: 200 }, undefined]) {
      const created = new CreatedGroups();
      await created.adding(answered(json));
      expect({ json, unknown: created.mayHaveUnseen() }).toEqual({ json, unknown: true });
    }
  });

  it('counts a group already gone (1503) as deleted, and names one it could not delete', async () => {
    const [kept] = sandbox.control.seedGroups(USER.userId, 1, RUN_NAME);
    const created = new CreatedGroups();
    created.track(kept);
    created.track(4242); // not there: the sandbox answers 1503
    sandbox.control.setFault({ mode: 'http-status', op: 'delete', status: 503, times: 1 });

    const report = await deleteCreated(created, post(), USER, RUN_NAME);

    expect(report).toEqual({ deleted: [4242], leftBehind: [String(kept)] });
    expect(names()).toEqual([`${RUN_NAME} 1`]);
  });
});
