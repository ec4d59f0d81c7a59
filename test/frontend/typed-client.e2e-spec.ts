import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ListeningApp, startListeningApp } from '../support/listening-app.js';
import { fetchLiveDocument, tempDir } from '../support/live-document.js';
import { REPO_ROOT, runTool } from '../support/run-tool.js';
import { newLogin } from '../support/test-app.js';
import { runExample } from '../../client/example.js';
import {
  createGroupsClient,
  groupPages,
  isProblem,
  isProblemError,
  PROBLEM_TYPES,
  ProblemError,
  unwrap,
  unwrapVersioned,
} from '../../client/index.js';
import { PROBLEM_KINDS, ProblemKind, problemType } from '../../src/core/problem/problem-kinds.js';

// The typed client (client/) against the running service over real HTTP, and the checks that
// keep it honest: its types match the live document and it compiles as a front end compiles it.
let t: ListeningApp;
const temp = tempDir('client');

beforeAll(async () => {
  t = await startListeningApp();
});
afterAll(async () => {
  temp.remove();
  await t.close();
});

describe('the typed client', () => {
  it('runs the example front-end module: log in, who am I, create with a key, list by pages, typed problems, log out', async () => {
    const name = `Client ${randomUUID().slice(0, 8)}`;
    const { userId, token } = newLogin(t.sandbox, 'client');

    const outcome = await runExample(t.baseUrl, { userId, token }, name);

    expect(outcome.me).toBe(userId);
    expect(outcome.created).toEqual({ id: expect.any(Number), name, status: 'active', createdAt: expect.any(String) });
    expect(outcome.retried).toEqual({ group: outcome.created, replayed: true });
    expect(outcome.listed).toEqual([outcome.created]);
    expect(outcome.pages).toBe(1);
    expect(outcome.edited).toEqual({ ...outcome.created, status: 'inactive' });
    expect(outcome.unchangedSinceEdit).toBe(true);
    expect(outcome.problems).toEqual({
      missingGroup: { status: 404, type: 'tag:groups-bff,2026:problem:not-found', fields: [] },
      emptyName: { status: 400, type: 'tag:groups-bff,2026:problem:validation-failed', fields: ['name'] },
      staleEdit: { status: 412, type: 'tag:groups-bff,2026:problem:precondition-failed', fields: [] },
      afterLogout: { status: 401, type: 'tag:groups-bff,2026:problem:unauthorized', fields: [] },
    });
    expect(outcome.messages).toEqual({
      missingGroup: 'This group no longer exists.',
      emptyName: 'Please check: name.',
      staleEdit: 'Someone else changed this group meanwhile. Reload it and make your change again.',
      afterLogout: 'Your session has ended. Please log in again.',
    });
    expect(t.sandbox.control.groupsOf(userId)[0]).toMatchObject({ name, status: 0 });
  });

  it('authenticates with Basic credentials and gives problems their response (headers included)', async () => {
    const login = newLogin(t.sandbox, 'basic');
    const api = createGroupsClient(t.baseUrl, { basic: { userId: login.userId, token: login.token } });
    const created = await unwrap(api.POST('/v1/groups', { body: { name: 'Via Basic' } }));
    await expect(unwrap(api.GET('/v1/groups/{id}', { params: { path: { id: created.id } } }))).resolves.toEqual(
      created,
    );

    const wrong = createGroupsClient(t.baseUrl, { basic: { userId: login.userId, token: 'not-the-token' } });
    const error = await unwrap(wrong.GET('/v1/groups')).catch((caught: unknown) => caught);
    expect(isProblemError(error, 'unauthorized')).toBe(true);
    expect(isProblemError(error, 'notFound')).toBe(false);
    const problem = (error as ProblemError).problem;
    expect(problem).toMatchObject({
      status: 401,
      instance: '/v1/groups',
      requestId: (error as ProblemError).response.headers.get('x-request-id'),
    });
    expect((error as ProblemError).response.headers.get('www-authenticate')).toMatch(/Bearer.*Basic/);
  });

  it('follows next page by page to the end of the list', async () => {
    const login = newLogin(t.sandbox, 'pages');
    const ids = t.sandbox.control.seedGroups(login.userId, 5, 'Paged');
    const api = createGroupsClient(t.baseUrl, { basic: { userId: login.userId, token: login.token } });
    const pages: number[][] = [];
    for await (const page of groupPages(api, { limit: 2 })) pages.push(page.map((group) => group.id));
    expect(pages).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
  });

  it('polls the list with its ETag: undefined while unchanged, the new page once it changed', async () => {
    const login = newLogin(t.sandbox, 'poller');
    t.sandbox.control.seedGroups(login.userId, 2, 'Polled');
    const api = createGroupsClient(t.baseUrl, { basic: { userId: login.userId, token: login.token } });
    const shown = (await unwrapVersioned(api.GET('/v1/groups', {})))!;
    expect(shown.data.data).toHaveLength(2);
    const poll = () => unwrapVersioned(api.GET('/v1/groups', { params: { header: { 'If-None-Match': shown.etag } } }));
    expect(await poll()).toBeUndefined();
    await unwrap(api.POST('/v1/groups', { body: { name: 'Polled later' } }));
    const fresher = await poll();
    expect(fresher?.data.data).toHaveLength(3);
    expect(fresher?.etag).not.toBe(shown.etag);
  });

  it('tells problems from other values', () => {
    expect(
      isProblem({
        type: PROBLEM_TYPES.notFound,
        title: 'Not found',
        status: 404,
        detail: 'x',
        instance: '/',
        requestId: 'r',
      }),
    ).toBe(true);
    for (const other of [null, 'Not found', { status: 404 }, { type: 'x', title: 'y', status: '404' }])
      expect({ other, problem: isProblem(other) }).toEqual({ other, problem: false });
    expect(() => createGroupsClient(t.baseUrl, { sessionId: 's', basic: { userId: 'u', token: 't' } })).toThrow(
      TypeError,
    );
  });

  it("knows exactly the service's problem types", () => {
    const server = Object.fromEntries(
      (Object.keys(PROBLEM_KINDS) as ProblemKind[]).map((kind) => [kind, problemType(kind)]),
    );
    expect(PROBLEM_TYPES).toEqual(server);
  });

  it('has committed types (client/schema.d.ts) generated from the live document', async () => {
    const documentFile = temp.file('openapi.json', JSON.stringify(await fetchLiveDocument(t)));
    const generated = temp.file('schema.d.ts');
    const run = await runTool(process.execPath, ['scripts/generate-client-types.mjs', documentFile, generated]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    // On failure: `npm run openapi && npm run client:types`, then commit client/schema.d.ts.
    expect(
      firstDifference(readFileSync(resolve(REPO_ROOT, 'client/schema.d.ts'), 'utf8'), readFileSync(generated, 'utf8')),
    ).toBeUndefined();
  });

  it('builds as a package: package.json names the built module and its types, and they load', async () => {
    const manifest = JSON.parse(readFileSync(resolve(REPO_ROOT, 'client/package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: '@groups-bff/client',
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      type: 'module',
      dependencies: { 'openapi-fetch': expect.any(String) },
    });
    // Built where the package builds (client/dist, ignored by git): the module resolves openapi-fetch from there.
    const build = await runTool(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'client/tsconfig.build.json'],
      120_000,
    );
    expect({ code: build.code, output: build.stdout + build.stderr }).toEqual({ code: 0, output: '' });
    for (const target of [manifest.types, manifest.exports['.'].types, manifest.exports['.'].import]) {
      expect({ target, built: existsSync(resolve(REPO_ROOT, 'client', target)) }).toEqual({ target, built: true });
    }
    const load = await runTool(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(pathToFileURL(resolve(REPO_ROOT, 'client/dist/index.js')).href)}); console.log(Object.keys(m).sort().join(','))`,
    ]);
    expect(load.stdout.trim().split(',')).toEqual(
      expect.arrayContaining(['createGroupsClient', 'unwrap', 'isProblemError', 'PROBLEM_TYPES']),
    );
  }, 120_000);

  it('type-checks as a browser front end compiles it (client/tsconfig.json)', async () => {
    const run = await runTool(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'client/tsconfig.json'],
      120_000,
    );
    expect({ code: run.code, output: run.stdout + run.stderr }).toEqual({ code: 0, output: '' });
  }, 120_000);
});

function firstDifference(
  committed: string,
  live: string,
): { line: number; committed?: string; live?: string } | undefined {
  const [a, b] = [committed.split('\n'), live.split('\n')];
  const line = a.findIndex((text, i) => text !== b[i]);
  if (line === -1 && a.length === b.length) return undefined;
  const at = line === -1 ? a.length : line;
  return { line: at + 1, committed: a[at], live: b[at] };
}
