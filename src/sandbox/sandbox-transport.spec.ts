import { connect } from 'node:net';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { sendToSandbox } from '../../test/support/sandbox-http-client.js';
import { DEMO_LOGIN, startSandbox, type RunningSandbox } from './sandbox.server.js';

describe('sandbox transport', () => {
  let sandbox: RunningSandbox;
  const demoBody = JSON.stringify({ ...DEMO_LOGIN, quick: true });
  const post = async (path: string, body?: string, contentType?: string) => {
    const res = await sendToSandbox(sandbox.url, path, { body, contentType });
    return { ...res, json: JSON.parse(res.text) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ emptyListAs: 'empty' });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.control.reset());

  it('matches paths case-insensitively, with or without a trailing slash or query', async () => {
    for (const path of ['/api/v2/Group/list', '/api/v2/group/list/', '/API/V2/GROUP/LIST', '/api/v2/Group/list?x=1']) {
      expect((await post(path, demoBody)).json).toEqual({ status: 'success', response: [], code: 200 });
    }
    expect((await post('/api/v2/user/LOGIN/', JSON.stringify(DEMO_LOGIN))).json.status).toBe('success');
  });

  it('answers an unknown path 404 with an error envelope', async () => {
    const res = await post('/api/v2/Group/create', demoBody);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ status: 'error', message: 'Not found', code: 404 });
    expect((await post('/api/v2/Group', demoBody)).status).toBe(404);
  });

  it('answers other methods than POST 405 with an error envelope', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await sendToSandbox(sandbox.url, '/api/v2/Group/list', { method });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(JSON.parse(res.text)).toEqual({ status: 'error', message: 'Method not allowed', code: 405 });
    }
  });

  it('reads the body as JSON whatever the Content-Type', async () => {
    for (const contentType of [
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-8',
    ]) {
      expect((await post('/api/v2/Group/list', demoBody, contentType)).json.status).toBe('success');
    }
  });

  it.each([
    ['an empty body', undefined],
    ['a blank body', '  \n'],
    ['non-JSON', 'name=Sales'],
    ['truncated JSON', '{"name":'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"hello"'],
    ['JSON null', 'null'],
  ])('answers %s with 1047', async (_label, body) => {
    const res = await post('/api/v2/Group/add', body);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'error', message: 'Invalid request data', code: 1047 });
  });

  it('answers a body over 1 MiB 413 with 1047 and stays up', async () => {
    const huge = JSON.stringify({ ...DEMO_LOGIN, name: 'x'.repeat(1024 * 1024) });
    const res = await post('/api/v2/Group/add', huge);
    expect(res.status).toBe(413);
    expect(res.json.code).toBe(1047);
    expect(sandbox.control.groupsOf('demo')).toEqual([]);
    expect((await post('/api/v2/Group/list', demoBody)).status).toBe(200);
  });

  it('answers malformed HTTP 400 and keeps serving', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(sandbox.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await post('/api/v2/Group/list', demoBody)).status).toBe(200);
  });

  it('answers keep-alive friendly: Content-Length on every answer, connection kept open', async () => {
    const answers = [];
    for (let n = 0; n < 20; n += 1) {
      const res = await fetch(`${sandbox.url}/api/v2/Group/add`, {
        method: 'POST',
        body: JSON.stringify({ ...DEMO_LOGIN, name: 'Team' }),
      });
      expect(res.headers.get('connection')).toBe('keep-alive');
      expect(res.headers.get('content-length')).toMatch(/^\d+$/);
      answers.push(((await res.json()) as { status: string }).status);
    }
    expect(answers.every((status) => status === 'success')).toBe(true);
    expect(sandbox.control.groupsOf('demo').at(-1)!.name).toBe('Team 19');
  });
});
