import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import axios, { AxiosError, AxiosInstance } from 'axios';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { waitFor } from '../../test/support/wait-for.js';
import { CallHeaders, undiciAdapter } from './undici-axios-adapter.js';

// A real HTTP server whose behaviour each path chooses.
let server: Server;
let baseURL: string;
const hung: ServerResponse[] = [];
const seen: { url: string | undefined; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer(
    (request, response) =>
      void (async () => {
        let body = '';
        for await (const chunk of request) body += chunk;
        seen.push({ url: request.url, headers: request.headers, body });
        switch (request.url) {
          case '/echo':
            response
              .writeHead(201, { 'content-type': 'application/json', 'retry-after': '3' })
              .end(JSON.stringify({ got: body }));
            break;
          case '/teapot':
            response.writeHead(418).end('short and stout');
            break;
          case '/big':
            response.end('x'.repeat(5000));
            break;
          case '/big-chunked':
            // No content-length: the size is only known by reading.
            for (let chunk = 0; chunk < 5; chunk += 1) response.write('x'.repeat(1000));
            response.end();
            break;
          case '/reset':
            request.socket.destroy();
            break;
          case '/hang':
            hung.push(response);
            break;
          default:
            response.writeHead(404).end();
        }
      })(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  hung.forEach((response) => response.destroy());
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(
  options: { connections?: number; validateStatus?: (status: number) => boolean; maxContentLength?: number } = {},
): { http: AxiosInstance; agent: Agent } {
  const agent = new Agent({ connections: options.connections ?? 4 });
  const http = axios.create({
    baseURL,
    adapter: undiciAdapter(agent),
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: options.validateStatus,
    maxContentLength: options.maxContentLength,
  });
  return { http, agent };
}

async function failure(promise: Promise<unknown>): Promise<AxiosError> {
  try {
    await promise;
  } catch (error) {
    return error as AxiosError;
  }
  throw new Error('expected a failure');
}

describe('undiciAdapter', () => {
  it('sends the method, body and headers, and answers status, headers and text', async () => {
    const { http, agent } = client();
    const response = await http.post('/echo', '{"a":1}', {
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-1', connection: 'keep-alive' },
    });
    expect(response.status).toBe(201);
    expect(response.headers['retry-after']).toBe('3');
    expect(response.data).toBe('{"got":"{\\"a\\":1}"}');
    expect(seen.at(-1)!.headers).toMatchObject({ 'content-type': 'application/json', 'x-request-id': 'r-1' });
    await agent.close();
  });

  it("sends a call's own headers after the configured ones, the same object it was given", async () => {
    const { http, agent } = client();
    const own = new CallHeaders({
      'x-request-id': 'r-2',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    let merged: unknown;
    http.interceptors.request.use((config) => ((merged = config.callHeaders), config));
    await http.post('/echo', '{}', {
      headers: { 'content-type': 'application/json', 'x-request-id': 'configured' },
      callHeaders: own,
    });
    expect(merged).toBe(own);
    expect(seen.at(-1)!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-request-id': 'r-2',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    await agent.close();
  });

  it('answers only the headers it was asked to keep, when asked', async () => {
    const agent = new Agent({ connections: 1 });
    const http = axios.create({ baseURL, adapter: undiciAdapter(agent, { answerHeaders: ['retry-after', 'etag'] }) });
    const response = await http.post('/echo', '{}');
    expect({ ...response.headers }).toEqual({ 'retry-after': '3' });
    await agent.close();
  });

  it('joins baseURL and url as axios does: a base path kept, one slash between, params encoded', async () => {
    const agent = new Agent({ connections: 1 });
    const paths: string[] = [];
    for (const [base, url, params] of [
      [`${baseURL}/prefix/`, '/v2/list', undefined],
      [`${baseURL}/prefix`, 'v2/list', undefined],
      [baseURL, `${baseURL}/absolute`, undefined],
      [`${baseURL}/prefix`, '/v2/list', { a: 'x y' }],
    ] as const) {
      await axios
        .create({ baseURL: base, adapter: undiciAdapter(agent), validateStatus: () => true })
        .get(url, { params });
      paths.push(seen.at(-1)!.url!);
    }
    expect(paths).toEqual(['/prefix/v2/list', '/prefix/v2/list', '/absolute', '/prefix/v2/list?a=x+y']);
    await agent.close();
  });

  it('applies validateStatus like axios, attaching the response', async () => {
    const { http, agent } = client({ validateStatus: (status) => status < 400 });
    const error = await failure(http.get('/teapot'));
    expect(error).toBeInstanceOf(AxiosError);
    expect(error.response?.status).toBe(418);
    expect(error.response?.data).toBe('short and stout');
    const accepting = client({ validateStatus: () => true });
    expect((await accepting.http.get('/teapot')).status).toBe(418);
    await Promise.all([agent.close(), accepting.agent.close()]);
  });

  it('refuses an answer over maxContentLength', async () => {
    const { http, agent } = client({ maxContentLength: 1000 });
    expect((await failure(http.get('/big'))).code).toBe('ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED');
    expect((await failure(http.get('/big-chunked'))).code).toBe('ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED');
    const roomy = client({ maxContentLength: 5000 });
    expect((await roomy.http.get('/big')).data).toHaveLength(5000);
    expect((await roomy.http.get('/big-chunked')).data).toHaveLength(5000);
    await roomy.agent.close();
    await agent.close();
  });

  it('keeps the network error code: refused and reset', async () => {
    const { http, agent } = client();
    expect((await failure(http.get('/reset'))).code).toBe('ECONNRESET');
    const refused = axios.create({ baseURL: 'http://127.0.0.1:9', adapter: undiciAdapter(agent) });
    expect((await failure(refused.get('/'))).code).toBe('ECONNREFUSED');
    await agent.close();
  });

  it('rejects at once on abort, even while queued behind a busy connection', async () => {
    const { http, agent } = client({ connections: 1 });
    const blocker = http.get('/hang').catch(() => undefined);
    // The one connection is busy once the server holds the hanging request.
    await waitFor(() => hung.length === 1, 2000, 'the server to hold the hanging request');
    const controller = new AbortController();
    const queued = http.get('/echo', { signal: controller.signal });
    const started = performance.now();
    controller.abort();
    const error = await failure(queued);
    expect(error.code).toBe('ERR_CANCELED');
    expect(performance.now() - started).toBeLessThan(50);
    hung.forEach((response) => response.destroy());
    await blocker;
    await agent.destroy();
  });

  it('times out after `timeout` ms with ECONNABORTED, as axios does, even while queued', async () => {
    const { http, agent } = client({ connections: 1 });
    const held = hung.length;
    // Long enough that a loaded machine still sees the server hold it before it times out.
    const hanging = http.get('/hang', { timeout: 3000 });
    let hangingSettled = false;
    const sent = failure(hanging).finally(() => (hangingSettled = true));
    await waitFor(() => hung.length === held + 1, 2000, 'the server to hold the hanging request');
    const waiting = await failure(http.get('/echo', { timeout: 40 }));
    // It timed out while the one connection was still busy, i.e. while queued.
    expect(hangingSettled).toBe(false);
    expect(waiting.code).toBe(AxiosError.ECONNABORTED);
    expect(waiting.message).toBe('timeout of 40ms exceeded');
    expect((await sent).code).toBe(AxiosError.ECONNABORTED);
    hung.forEach((response) => response.destroy());
    await agent.destroy();
  });

  it('answers normally within the timeout, and a later abort signal changes nothing', async () => {
    const { http, agent } = client();
    const controller = new AbortController();
    const answer = await http.post('/echo', 'x', { timeout: 2000, signal: controller.signal });
    controller.abort();
    expect(answer.status).toBe(201);
    await agent.close();
  });

  it('rejects an already aborted request without sending it', async () => {
    const { http, agent } = client();
    const before = seen.length;
    expect((await failure(http.get('/echo', { signal: AbortSignal.abort() }))).code).toBe('ERR_CANCELED');
    expect(seen.length).toBe(before);
    await agent.close();
  });
});
