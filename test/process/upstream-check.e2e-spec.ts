import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { type CapturedProcess, spawnCaptured } from '../support/captured-process.js';
import { postJson } from '../support/sandbox-http-client.js';
import { type SandboxProcess, spawnSandbox } from '../support/sandbox-process.js';
import { waitFor } from '../support/wait-for.js';
import { type RunningSandbox, type SandboxRuntimeOptions, startSandbox } from '../../src/sandbox/sandbox.server.js';

// `npm run check:upstream` as operators run it: the built check in a process of its own, against
// a sandbox over HTTP. With the sandbox's answer options at their defaults (what
// docs/deepcall-upstream.md describes) there is no drift; each option that answers otherwise is
// reported as its own drift; and the groups it made are gone whatever ended it.
const CHECK_MAIN = 'dist/upstream-check/check-upstream.main.js';
const CHECKER = { userId: 'checker', token: 'checker-token-5f3a' };

function startCheck(env: Record<string, string>): CapturedProcess {
  if (!existsSync(CHECK_MAIN)) throw new Error(`${CHECK_MAIN} is missing: run the suite with \`npm test\``);
  return spawnCaptured(process.execPath, [CHECK_MAIN], { PATH: process.env.PATH, ...env });
}

function checkEnv(baseUrl: string): Record<string, string> {
  return { DEEPCALL_BASE_URL: baseUrl, DEEPCALL_CHECK_USER_ID: CHECKER.userId, DEEPCALL_CHECK_TOKEN: CHECKER.token };
}

async function runCheck(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const check = startCheck(env);
  const code = await check.exited;
  return { code, output: check.output() };
}

/** The ids of the table's rows with a given result. */
function rows(output: string, result: 'ok' | 'DRIFT' | 'n/a'): string[] {
  return output
    .split('\n')
    .map((line) => line.split(' | ').map((cell) => cell.trim()))
    .filter((cells) => cells.length === 5 && cells[0] === result)
    .map((cells) => cells[1]);
}

/** The checker's groups, as the sandbox lists them over HTTP (1012: none). */
async function checkerGroups(baseUrl: string): Promise<unknown> {
  const { body } = await postJson(baseUrl, '/api/v2/Group/list', { ...CHECKER, forward: true });
  return body.status === 'error' ? body.code : body.response;
}

describe('package.json', () => {
  it('runs this same built check as check:upstream, building first like npm start', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(scripts['check:upstream']).toBe(`node ${CHECK_MAIN}`);
    expect(scripts['precheck:upstream']).toBe(scripts.prestart);
  });
});

describe('npm run check:upstream against the sandbox', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.control.reset();
    sandbox.control.addUser(CHECKER.userId, CHECKER.token);
  });
  afterEach(() => {
    // Whatever the run saw, it left the account as it found it.
    expect(sandbox.control.groupsOf(CHECKER.userId)).toEqual([]);
  });

  it('finds no drift when the sandbox answers as the document says, and exits 0', async () => {
    const { code, output } = await runCheck(checkEnv(sandbox.url));
    expect({ code, drifts: rows(output, 'DRIFT'), unchecked: rows(output, 'n/a') }).toEqual({
      code: 0,
      drifts: [],
      unchecked: [],
    });
    expect(rows(output, 'ok')).toEqual(
      expect.arrayContaining(['add.answer', 'add.suffix', 'list.date', 'error.bad-token']),
    );
    expect(output).toContain('0 drift(s)');
    expect(sandbox.control.stats().requests).toMatchObject({ add: 3, update: 3, delete: 3 });
    expect(output).not.toContain(CHECKER.token);
  });

  const quirks: [SandboxRuntimeOptions, string][] = [
    [{ errorHttpStatus: 400 }, 'error.http-status'],
    [{ emptyListAs: 'empty' }, 'list.nothing'],
    [{ listShape: 'object-by-id' }, 'list.shape'],
    [{ idField: 'groupId' }, 'list.id-field'],
    [{ idField: 'group_id' }, 'list.id-field'],
    [{ idField: 'groupid' }, 'list.id-field'],
    [{ idsAsStrings: true }, 'list.id-type'],
  ];
  it.each(quirks)('with %j shows the drift %s, and only it, and exits 1', async (options, drift) => {
    sandbox.control.configure(options);
    const { code, output } = await runCheck(checkEnv(sandbox.url));
    expect({ code, drifts: rows(output, 'DRIFT'), unchecked: rows(output, 'n/a') }).toEqual({
      code: 1,
      drifts: [drift],
      unchecked: [],
    });
    // Each of these is an answer the service's client reads anyway: the report says so.
    expect(output).toContain(`${drift}: the service still reads it`);
  });

  it('cleans up after a call that got no answer, whose rows it reports as not checked, and exits 2', async () => {
    sandbox.control.setFault({ mode: 'reset', op: 'update', times: 1 });
    const { code, output } = await runCheck(checkEnv(sandbox.url));
    expect({ code, drifts: rows(output, 'DRIFT'), unchecked: rows(output, 'n/a') }).toEqual({
      code: 2,
      drifts: [],
      unchecked: ['update.answer', 'update.name', 'status.inactive'],
    });
  });

  it('reports an HTML page where the envelope should be as a drift, and cleans up what it made after it', async () => {
    sandbox.control.setFault({ mode: 'non-json', op: 'add', times: 1 });
    const { code, output } = await runCheck(checkEnv(sandbox.url));
    expect(code).toBe(1);
    expect(rows(output, 'DRIFT')).toEqual(['add.answer']);
    expect(output).toMatch(/add: not a JSON object \(HTTP 200, "<!DOCTYPE html>/);
    // The group of the second add carries on the run (and is deleted by it).
    expect(rows(output, 'ok')).toEqual(expect.arrayContaining(['add.duplicate', 'list.filter-name']));
  });

  it('refuses to run without DEEPCALL_BASE_URL, naming what is missing, and exits 2', async () => {
    const { code, output } = await runCheck({ DEEPCALL_CHECK_TOKEN: CHECKER.token });
    expect(code).toBe(2);
    expect(output).toMatch(/DEEPCALL_BASE_URL is not set/);
    expect(output).toMatch(/DEEPCALL_CHECK_USER_ID is not set/);
    expect(output).not.toMatch(/DEEPCALL_CHECK_TOKEN is not set/);
    expect(output).not.toContain(CHECKER.token);
    expect(sandbox.control.stats().requests.add).toBe(0);
  });

  it('reports a DeepCall that does not answer as not checked, and exits 2', async () => {
    const closed = await startSandbox();
    const url = closed.url;
    await closed.close();
    const { code, output } = await runCheck(checkEnv(url));
    expect(code).toBe(2);
    expect(rows(output, 'DRIFT')).toEqual([]);
    expect(rows(output, 'n/a')).toContain('add.answer');
  });
});

describe('npm run check:upstream interrupted', () => {
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    sandbox = await spawnSandbox();
  });
  afterAll(async () => {
    sandbox.child.kill('SIGTERM');
    await sandbox.exited;
  });

  const control = async (method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.ok).toBe(true);
    return response.json();
  };

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('by %s after its creates deletes both groups and exits %d', async (signal, exitCode) => {
    await control('POST', '/reset');
    await control('POST', '/users', CHECKER);
    // Every list is slow, so the run is still reading its group back when the signal comes.
    await control('POST', '/faults', { mode: 'delay', op: 'list', delayMs: 30_000 });
    const check = startCheck({ ...checkEnv(sandbox.url), DEEPCALL_TIMEOUT_MS: '60000' });
    await waitFor(
      async () => {
        const stats = await control('GET', '/stats');
        return stats.requests.add === 2 && stats.requests.list === 1;
      },
      10_000,
      'both creates answered and the read-back in flight',
    );
    check.child.kill(signal);
    const code = await check.exited;
    await control('DELETE', '/faults');

    expect({ code, groups: await checkerGroups(sandbox.url) }).toEqual({ code: exitCode, groups: 1012 });
    expect((await control('GET', '/stats')).requests.delete).toBe(2);
    expect(check.output()).toMatch(/Deleted what the check had left: group\(s\) \d+, \d+/);
    expect(check.output()).not.toContain('NOT deleted');
  });
});
