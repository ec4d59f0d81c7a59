import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { waitFor } from '../../test/support/wait-for.js';
import { SandboxInputError } from './sandbox-wire.js';
import { postJson, sendToSandbox } from '../../test/support/sandbox-http-client.js';
import { DEMO_LOGIN, startSandbox, type RunningSandbox, type SandboxFault } from './sandbox.server.js';

/** Waits for an observable condition of the sandbox (not a timed sleep), failing after 2 s. */
const until = (condition: () => boolean): Promise<void> => waitFor(condition, 2000, 'a sandbox condition');

describe('sandbox faults', () => {
  let sandbox: RunningSandbox;
  const body = JSON.stringify({ ...DEMO_LOGIN, name: 'Faulty' });
  const send = (op = 'add', signal?: AbortSignal) =>
    sendToSandbox(sandbox.url, `/api/v2/Group/${op}`, { body, contentType: 'application/json', signal });

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('delay: answers normally once delayMs has passed', async () => {
    sandbox.control.setFault({ op: 'add', mode: 'delay', delayMs: 150 });
    const started = performance.now();
    const res = await send();
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(JSON.parse(res.text)).toEqual({ status: 'success', groupId: expect.any(Number), code: 200 });
    expect(sandbox.control.groupsOf('demo')).toHaveLength(1);
  });

  it('hang: never answers, so the client’s own deadline fires', async () => {
    sandbox.control.setFault({ op: 'list', mode: 'hang' });
    // A deadline a loaded machine cannot beat to the server: the request must arrive first.
    const hung = fetch(`${sandbox.url}/api/v2/Group/list`, { method: 'POST', body, signal: AbortSignal.timeout(1000) });
    await until(() => sandbox.control.stats().requests.list === 1);
    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
    await until(() => sandbox.control.stats().inFlight === 0); // the abandoned request is let go
    expect((await send('add')).status).toBe(200);
  });

  it('reset: the client sees a socket error', async () => {
    sandbox.control.setFault({ op: 'add', mode: 'reset' });
    await expect(send()).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(fetch(`${sandbox.url}/api/v2/Group/add`, { method: 'POST', body })).rejects.toMatchObject({
      message: 'fetch failed',
    });
  });

  it('http-status: answers that status with an HTML page, 503 by default', async () => {
    sandbox.control.setFault({ op: 'add', mode: 'http-status', status: 502, times: 1 });
    sandbox.control.setFault({ op: 'add', mode: 'http-status' });
    const first = await send();
    expect(first.status).toBe(502);
    expect(first.headers['content-type']).toMatch(/^text\/html/);
    expect(() => JSON.parse(first.text)).toThrow();
    expect((await send()).status).toBe(503);
    expect(sandbox.control.groupsOf('demo')).toHaveLength(0);
  });

  it('non-json: answers HTTP 200 with an HTML body', async () => {
    sandbox.control.setFault({ mode: 'non-json' });
    const res = await send('list');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<html>');
  });

  it('error-code: answers the error envelope with that code under errorHttpStatus', async () => {
    sandbox.control.setFault({ op: 'list', mode: 'error-code', code: 1010 });
    const res = await send('list');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: 'error', message: 'Database connection error', code: 1010 });
    sandbox.control.configure({ errorHttpStatus: 400 });
    expect((await send('list')).status).toBe(400);
  });

  it('rate-limit: answers 429 with Retry-After (1 second by default)', async () => {
    sandbox.control.setFault({ mode: 'rate-limit', times: 1 });
    sandbox.control.setFault({ mode: 'rate-limit', retryAfterSeconds: 7, times: 1 });
    const first = await send();
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect((await send()).headers['retry-after']).toBe('7');
    expect((await send()).status).toBe(200);
  });

  it('times: affects that many matching requests, then is removed', async () => {
    sandbox.control.setFault({ op: 'add', mode: 'error-code', code: 1009, times: 2 });
    expect(JSON.parse((await send()).text).code).toBe(1009);
    expect(JSON.parse((await send('list')).text).code).toBe(1012); // another op is not affected
    expect(JSON.parse((await send()).text).code).toBe(1009);
    expect(JSON.parse((await send()).text).status).toBe('success');
  });

  it('applies a fault without op (or op "*") to every operation, login included, until cleared', async () => {
    sandbox.control.setFault({ mode: 'http-status', status: 500 });
    expect((await send('list')).status).toBe(500);
    expect((await sendToSandbox(sandbox.url, '/api/v2/User/login', { body: JSON.stringify(DEMO_LOGIN) })).status).toBe(
      500,
    );
    sandbox.control.clearFaults();
    expect((await postJson(sandbox.url, '/api/v2/User/login', DEMO_LOGIN)).body.status).toBe('success');
  });

  it('rejects an invalid fault', () => {
    const invalid: unknown[] = [
      { mode: 'explode' },
      { mode: 'delay' },
      { mode: 'hang', op: 'create' },
      { mode: 'hang', times: 0 },
    ];
    for (const fault of invalid)
      expect(() => sandbox.control.setFault(fault as SandboxFault)).toThrow(SandboxInputError);
  });
});

describe('sandbox close() with requests still open', () => {
  it.each<SandboxFault>([{ mode: 'hang' }, { mode: 'delay', delayMs: 60_000 }])(
    'resolves and drops a request held by %j',
    async (fault) => {
      const sandbox = await startSandbox();
      sandbox.control.setFault(fault);
      const held = sendToSandbox(sandbox.url, '/api/v2/Group/list', { body: JSON.stringify(DEMO_LOGIN) });
      await until(() => sandbox.control.stats().inFlight === 1);
      await sandbox.close();
      await expect(held).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(sandbox.control.stats().openConnections).toBe(0);
    },
  );
});
