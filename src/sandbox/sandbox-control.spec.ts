import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { SandboxInputError } from './sandbox-wire.js';
import { postJson, sendToSandbox } from '../../test/support/sandbox-http-client.js';
import { DEMO_LOGIN, startSandbox, type RunningSandbox, type SandboxRuntimeOptions } from './sandbox.server.js';

describe('sandbox control', () => {
  let sandbox: RunningSandbox;
  const op = (name: string, body: unknown) => postJson(sandbox.url, `/api/v2/Group/${name}`, body);
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await sendToSandbox(sandbox.url, `/__sandbox${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      contentType: 'application/json',
    });
    return { status: res.status, body: JSON.parse(res.text) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ emptyListAs: 'empty' });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('starts with a url and port it really listens on', async () => {
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
    expect(sandbox.port).toBeGreaterThan(0);
    expect((await op('list', DEMO_LOGIN)).status).toBe(200);
  });

  describe('stats', () => {
    it('counts every request per op (faulted and failed ones too), logins and open connections', async () => {
      await postJson(sandbox.url, '/api/v2/User/login', DEMO_LOGIN);
      await postJson(sandbox.url, '/api/v2/User/login', { userId: 'demo', token: 'bad' });
      await op('add', { ...DEMO_LOGIN, name: 'A' });
      await op('add', {});
      sandbox.control.setFault({ op: 'list', mode: 'http-status', times: 1 });
      await sendToSandbox(sandbox.url, '/api/v2/Group/list', { body: '{}' });
      await sendToSandbox(sandbox.url, '/nowhere', { body: '{}' });
      expect(sandbox.control.stats()).toEqual({
        requests: { add: 2, update: 0, delete: 0, list: 1, login: 2 },
        logins: 1,
        openConnections: expect.any(Number),
        inFlight: 0,
      });
    });

    it('sees open keep-alive connections and zeroes the counters on resetStats', async () => {
      const res = await fetch(`${sandbox.url}/api/v2/Group/list`, { method: 'POST', body: JSON.stringify(DEMO_LOGIN) });
      expect(res.headers.get('content-length')).toBe(String((await res.text()).length));
      expect(sandbox.control.stats().openConnections).toBeGreaterThanOrEqual(1); // fetch keeps its socket open
      sandbox.control.resetStats();
      expect(sandbox.control.stats().requests.list).toBe(0);
    });
  });

  it('switches the HTTP status of error bodies with errorHttpStatus, leaving successes at 200', async () => {
    expect((await op('add', DEMO_LOGIN)).status).toBe(200);
    sandbox.control.configure({ errorHttpStatus: 400 });
    const failed = await op('add', DEMO_LOGIN);
    expect(failed.status).toBe(400);
    expect(failed.body).toEqual({ status: 'error', message: 'Group name is required', code: 1501 });
    expect((await op('add', { ...DEMO_LOGIN, name: 'ok' })).status).toBe(200);
  });

  it('rejects invalid configuration', () => {
    const invalid: unknown[] = [
      { errorHttpStatus: 99 },
      { listShape: 'tree' },
      { idField: 'ID' },
      { idsAsStrings: 'yes' },
      { ssidTtlMs: -1 },
      { port: 1 },
    ];
    for (const options of invalid)
      expect(() => sandbox.control.configure(options as SandboxRuntimeOptions)).toThrow(SandboxInputError);
  });

  it('reset() restores the start state: demo login only, no groups, faults or changed options', async () => {
    sandbox.control.addUser('temp', 'temp-token');
    sandbox.control.seedGroups('demo', 3);
    sandbox.control.setFault({ mode: 'http-status' });
    sandbox.control.configure({ emptyListAs: 'error-1012' });
    sandbox.control.reset();
    expect(sandbox.control.groupsOf('demo')).toEqual([]);
    expect((await op('list', DEMO_LOGIN)).body).toEqual({ status: 'success', response: [], code: 200 });
    expect((await op('list', { userId: 'temp', token: 'temp-token' })).body.code).toBe(1014);
    expect(sandbox.control.stats().requests.list).toBe(2);
  });

  it('seedGroups names groups with the prefix and counter, suffixing taken names', async () => {
    await op('add', { ...DEMO_LOGIN, name: 'Team 2' });
    const ids = sandbox.control.seedGroups('demo', 3, 'Team');
    expect(ids).toHaveLength(3);
    expect(sandbox.control.groupsOf('demo').map((group) => group.name)).toEqual([
      'Team 2',
      'Team 1',
      'Team 2 1',
      'Team 3',
    ]);
  });

  describe('over HTTP under /__sandbox/', () => {
    it('adds users and seeds groups', async () => {
      expect(await control('POST', '/users', { userId: 'u1', token: 't1' })).toEqual({
        status: 201,
        body: { userId: 'u1' },
      });
      const seeded = await control('POST', '/groups/seed', { userId: 'u1', count: 5 });
      expect(seeded).toMatchObject({ status: 201, body: { userId: 'u1', created: 5 } });
      const listed = await op('list', { userId: 'u1', token: 't1', quick: true });
      expect(listed.body.response).toHaveLength(5);
    });

    it('sets and clears faults', async () => {
      expect((await control('POST', '/faults', { op: 'list', mode: 'error-code', code: 1015 })).status).toBe(201);
      expect((await op('list', DEMO_LOGIN)).body.code).toBe(1015);
      expect((await control('DELETE', '/faults')).status).toBe(200);
      expect((await op('list', DEMO_LOGIN)).body.status).toBe('success');
    });

    it('expires ssids', async () => {
      const { ssid } = (await postJson(sandbox.url, '/api/v2/User/login', DEMO_LOGIN)).body;
      expect((await control('POST', '/ssids/expire')).status).toBe(200);
      expect((await op('list', { ssid })).body.code).toBe(1014);
    });

    it('configures at run time and answers the settings in force', async () => {
      const patched = await control('PATCH', '/config', { listShape: 'object-by-id', idsAsStrings: true });
      expect(patched).toEqual({
        status: 200,
        body: {
          ssidTtlMs: 3_600_000,
          errorHttpStatus: 200,
          emptyListAs: 'empty',
          listShape: 'object-by-id',
          idField: 'id',
          idsAsStrings: true,
        },
      });
      const id = (await op('add', { ...DEMO_LOGIN, name: 'G' })).body.groupId!;
      expect((await op('list', { ...DEMO_LOGIN, quick: true })).body.response).toEqual({
        [id]: { id: String(id), name: 'G' },
      });
    });

    it('reports stats and resets', async () => {
      await op('add', { ...DEMO_LOGIN, name: 'G' });
      const stats = await control('GET', '/stats');
      expect(stats.status).toBe(200);
      expect(stats.body).toMatchObject({ requests: { add: 1, list: 0 }, logins: 0, inFlight: 0 });
      expect((await control('POST', '/reset')).body).toEqual({ reset: true });
      expect(sandbox.control.groupsOf('demo')).toEqual([]);
    });

    it('answers 400 for bad input and 404 for unknown control routes, without counting them as ops', async () => {
      expect(await control('POST', '/faults', { mode: 'explode' })).toMatchObject({
        status: 400,
        body: { error: expect.any(String) },
      });
      expect((await control('PATCH', '/config', { idField: 'nope' })).status).toBe(400);
      expect((await control('POST', '/groups/seed', { userId: 'demo', count: -1 })).status).toBe(400);
      expect((await control('POST', '/users', [1, 2])).status).toBe(400);
      expect((await control('GET', '/nothing')).status).toBe(404);
      expect(sandbox.control.stats().requests).toEqual({ add: 0, update: 0, delete: 0, list: 0, login: 0 });
    });
  });
});
