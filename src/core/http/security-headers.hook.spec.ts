import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import helmet from 'helmet';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { securityHeaders } from './security-headers.hook.js';

const OPTIONS = { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'] } } };

// helmet itself, on a real response: what the precomputed set must equal.
let server: Server;
let url: string;
beforeAll(async () => {
  const secure = helmet(OPTIONS);
  server = createServer((request, response) => secure(request, response, () => response.end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('securityHeaders', () => {
  it('are exactly the headers helmet sets on a real response', async () => {
    const answer = await fetch(url);
    const fromHelmet = Object.fromEntries(
      [...answer.headers].filter(
        ([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name),
      ),
    );
    const precomputed = securityHeaders(OPTIONS);
    expect(precomputed).toEqual(fromHelmet);
    expect(precomputed['content-security-policy']).toContain("img-src 'self' data:");
    expect(Object.keys(precomputed).length).toBeGreaterThanOrEqual(10);
  });
});
