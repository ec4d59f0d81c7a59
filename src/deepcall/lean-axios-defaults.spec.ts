import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import axios, { AxiosError } from 'axios';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { leanAxiosDefaults } from './lean-axios-defaults.js';
import { undiciAdapter } from './undici-axios-adapter.js';

let server: Server;
let baseURL: string;
const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
const agent = new Agent({ connections: 2 });

beforeAll(async () => {
  server = createServer(
    (request, response) =>
      void (async () => {
        let body = '';
        for await (const chunk of request) body += chunk;
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        const big = request.url === '/base/big';
        response.writeHead(big ? 200 : 202, { 'retry-after': '2' }).end(big ? 'x'.repeat(2000) : '{"ok":true}');
      })(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
});
afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function leanClient() {
  const http = axios.create({
    baseURL,
    adapter: undiciAdapter(agent),
    responseType: 'text',
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    maxContentLength: 1000,
    validateStatus: (status) => status < 300,
  });
  leanAxiosDefaults(http, { 'content-type': 'application/json', accept: 'application/json' });
  return http;
}

describe('leanAxiosDefaults', () => {
  it('leaves flat headers and only the settings the undici adapter reads', () => {
    const http = leanClient();
    expect(http.defaults.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json' });
    expect(Object.keys(http.defaults).sort()).toEqual([
      'adapter',
      'baseURL',
      'headers',
      'maxContentLength',
      'responseType',
      'timeout',
      'transformRequest',
      'transformResponse',
      'validateStatus',
    ]);
  });

  it('still sends the default headers with the per-call ones, the body as given, to baseURL + path', async () => {
    const answer = await leanClient().post('/api/list', '{"a":1}', { headers: { 'x-request-id': 'lean-1' } });
    expect(answer).toMatchObject({ status: 202, data: '{"ok":true}', headers: { 'retry-after': '2' } });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/base/api/list',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': 'lean-1' },
    });
  });

  it('keeps maxContentLength and validateStatus working', async () => {
    const http = leanClient();
    const tooBig = await http.get('/big').catch((error: unknown) => error as AxiosError);
    expect((tooBig as AxiosError).code).toBe('ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED');
    const refused = await http
      .get('/x', { validateStatus: (status) => status === 200 })
      .catch((error: unknown) => error as AxiosError);
    expect((refused as AxiosError).response?.status).toBe(202);
  });
});
