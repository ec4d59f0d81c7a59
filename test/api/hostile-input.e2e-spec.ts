import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { newLogin, startTestApp, TestApp, upstreamCallsOf } from '../support/test-app.js';

// Thousands of generated malformed requests over real HTTP: every answer must be a 4xx
// problem+json, and input that fails validation must never reach DeepCall.
let t: TestApp;
let pool: Pool;
let bearer: string;
let tried = 0;
const serverErrors: string[] = [];

beforeAll(async () => {
  t = await startTestApp({ env: { LOG_LEVEL: 'warn' } });
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  pool = new Pool(`http://127.0.0.1:${port}`, { connections: 8 });
  const user = newLogin(t.sandbox);
  const { body } = await t.http.post('/v1/sessions').send({ userId: user.userId, token: user.token }).expect(201);
  bearer = `Bearer ${body.sessionId}`;
});
afterAll(async () => {
  console.log(`hostile input: ${tried} generated requests, ${serverErrors.length} answered 5xx`);
  await pool.close();
  await t.close();
});

interface Sent {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  headers?: string[];
  body?: string | Buffer;
}

/** Sends one request; answers its status after checking it is a well-formed 4xx problem. */
async function expectClientError({ method, path, headers = [], body }: Sent): Promise<number> {
  tried += 1;
  const response = await pool.request({
    method,
    path,
    headers: headers.length ? headers : ['authorization', bearer],
    body,
  });
  const text = await response.body.text();
  if (response.statusCode >= 500) serverErrors.push(`${method} ${path} → ${response.statusCode}`);
  expect(response.statusCode).toBeGreaterThanOrEqual(400);
  expect(response.statusCode).toBeLessThan(500);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(text) as { status: number; type: string };
  expect(problem.status).toBe(response.statusCode);
  expect(problem.type).toMatch(/^tag:groups-bff,2026:problem:/);
  return response.statusCode;
}

const json = (value: unknown) => JSON.stringify(value);
const upstreamCalls = () => upstreamCallsOf(t.sandbox);

/** Runs a property and asserts DeepCall saw none of it. */
async function withoutUpstreamCalls(property: () => Promise<void>): Promise<void> {
  const before = upstreamCalls();
  await property();
  expect(upstreamCalls()).toBe(before);
}

const badName = fc.oneof(
  fc.constantFrom(null, true, 0, -1.5, [], {}, ['a'], { name: 'x' }),
  fc.integer(),
  fc.double(),
  fc.constant(''),
  fc.stringMatching(/^[ \t\n\r]{1,20}$/),
  fc.string({ minLength: 101, maxLength: 400 }).filter((name) => name.trim().length > 100),
  // A control character inside the name (at the ends it would be trimmed away).
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.integer({ min: 0, max: 31 }), fc.string({ maxLength: 20 }))
    .map(([a, code, b]) => `x${a}${String.fromCharCode(code)}${b}x`),
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.integer({ min: 0x7f, max: 0x9f }))
    .map(([a, code]) => `x${a}${String.fromCharCode(code)}x`),
);

const deepJson = fc.integer({ min: 50, max: 2000 }).map((depth) => `{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`);

describe('hostile bodies on POST /v1/groups and PATCH /v1/groups/{id}', () => {
  it('wrong types, control characters, blank and over-long names', async () => {
    await withoutUpstreamCalls(() =>
      fc.assert(
        fc.asyncProperty(badName, fc.constantFrom<'POST' | 'PATCH'>('POST', 'PATCH'), async (name, method) => {
          const status = await expectClientError({
            method,
            path: method === 'POST' ? '/v1/groups' : '/v1/groups/1',
            headers: ['authorization', bearer, 'content-type', 'application/json'],
            body: json({ name }),
          });
          expect(status).toBe(400);
        }),
        { numRuns: 600 },
      ),
    );
  });

  it('unknown fields, arbitrary JSON values and deep nesting', async () => {
    const body = fc.oneof(
      // JSON.stringify drops undefined members, which would leave a valid body.
      fc.record({ name: fc.constant('Valid'), extra: fc.anything().filter((value) => value !== undefined) }).map(json),
      fc
        .dictionary(
          fc.string().filter((key) => key !== 'name' && key !== 'status'),
          fc.anything(),
          { minKeys: 1 },
        )
        .map(json),
      fc
        .anything()
        .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value))
        .map(json),
      fc.record({ status: fc.string().filter((status) => status !== 'active' && status !== 'inactive') }).map(json),
      deepJson,
      fc
        .constantFrom('toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'constructor')
        .map((key) => `{"name":"Valid","${key}":"x"}`),
    );
    await withoutUpstreamCalls(() =>
      fc.assert(
        fc.asyncProperty(body, fc.constantFrom<'POST' | 'PATCH'>('POST', 'PATCH'), async (text, method) => {
          await expectClientError({
            method,
            path: method === 'POST' ? '/v1/groups' : '/v1/groups/7',
            headers: ['authorization', bearer, 'content-type', 'application/json'],
            body: text,
          });
        }),
        { numRuns: 600 },
      ),
    );
  });

  it('bytes that are not JSON, huge bodies and wrong content types', async () => {
    const request = fc.oneof(
      fc
        .uint8Array({ minLength: 1, maxLength: 300 })
        .map((bytes) => ({ type: 'application/json', body: Buffer.concat([Buffer.from('{'), Buffer.from(bytes)]) })),
      fc
        .integer({ min: 16 * 1024 + 1, max: 200 * 1024 })
        .map((size) => ({ type: 'application/json', body: json({ name: 'x'.repeat(size) }) })),
      fc
        .constantFrom(
          'text/plain',
          'text/html',
          'application/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=z',
          'application/octet-stream',
          'image/png',
          'application/jsonx',
        )
        .map((type) => ({ type, body: json({ name: 'Valid' }) })),
    );
    await withoutUpstreamCalls(() =>
      fc.assert(
        fc.asyncProperty(request, async ({ type, body }) => {
          const status = await expectClientError({
            method: 'POST',
            path: '/v1/groups',
            headers: ['authorization', bearer, 'content-type', type],
            body,
          });
          expect([400, 413, 415]).toContain(status);
        }),
        { numRuns: 400 },
      ),
    );
  });
});

describe('hostile paths and queries', () => {
  it('odd group ids are a 400 (or an unknown route), never an upstream call', async () => {
    const id = fc.oneof(
      fc.string({ minLength: 1, maxLength: 40 }).filter((text) => !/^[1-9]\d{0,15}$/.test(text)),
      fc.constantFrom('0', '-1', '00', '1.0', '1e2', '0x1', '9007199254740993', '١٢', 'NaN', 'Infinity', ' 1', '1 '),
      fc.bigInt({ min: 10n ** 16n, max: 10n ** 40n }).map(String),
    );
    await withoutUpstreamCalls(() =>
      fc.assert(
        fc.asyncProperty(
          id,
          fc.constantFrom<'GET' | 'PATCH' | 'DELETE'>('GET', 'PATCH', 'DELETE'),
          async (raw, method) => {
            const status = await expectClientError({
              method,
              path: `/v1/groups/${encodeURIComponent(raw)}`,
              headers: ['authorization', bearer, 'content-type', 'application/json'],
              body: method === 'PATCH' ? json({ name: 'x' }) : undefined,
            });
            expect([400, 404]).toContain(status);
          },
        ),
        { numRuns: 500 },
      ),
    );
  });

  it('odd query strings are a 400', async () => {
    const query = fc.oneof(
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 10 }).filter((key) => !['name', 'quick', 'forward'].includes(key)),
        fc.string({ maxLength: 10 }),
        { minKeys: 1 },
      ),
      fc.record({ quick: fc.string().filter((value) => value !== 'true' && value !== 'false') }),
      fc.record({ forward: fc.string().filter((value) => value !== 'true' && value !== 'false') }),
      fc.record({ name: badName.filter((name): name is string => typeof name === 'string') }),
    );
    await withoutUpstreamCalls(() =>
      fc.assert(
        fc.asyncProperty(query, async (params) => {
          const search = new URLSearchParams(params as Record<string, string>).toString();
          expect(await expectClientError({ method: 'GET', path: `/v1/groups?${search}` })).toBe(400);
        }),
        { numRuns: 400 },
      ),
    );
  });
});

describe('hostile headers', () => {
  it('malformed Authorization values are a 401 without an upstream call', async () => {
    const authorization = fc.oneof(
      fc.string({ maxLength: 80 }).filter((value) => /^[\x20-\x7e]*$/.test(value)),
      fc
        .string({ maxLength: 60 })
        .filter((value) => /^[\x21-\x7e]*$/.test(value))
        .map((value) => `Bearer ${value}`),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,42}$/).map((value) => `Bearer ${value}`),
      fc.stringMatching(/^[A-Za-z0-9_-]{44,80}$/).map((value) => `Bearer ${value}`),
      fc
        .string({ maxLength: 60 })
        .filter((value) => /^[\x21-\x7e]*$/.test(value) && !/^[A-Za-z0-9+/]+=*$/.test(value))
        .map((value) => `Basic ${value}`),
      fc
        .uint8Array({ maxLength: 40 })
        .filter((bytes) => !Buffer.from(bytes).toString('latin1').includes(':'))
        .map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
      fc.constantFrom('Basic Og==', 'Basic OnRva2Vu', 'Basic dXNlcjo=', 'Digest abc', 'bearer', 'Bearer  '),
    );
    await withoutUpstreamCalls(() =>
      fc.assert(
        fc.asyncProperty(authorization, async (value) => {
          expect(
            await expectClientError({ method: 'GET', path: '/v1/groups', headers: ['authorization', value] }),
          ).toBe(401);
        }),
        { numRuns: 500 },
      ),
    );
  });

  it('duplicated Authorization headers are a 401; a duplicated or odd X-Request-Id is replaced', async () => {
    await withoutUpstreamCalls(async () => {
      expect(
        await expectClientError({
          method: 'GET',
          path: '/v1/groups',
          headers: ['authorization', bearer, 'authorization', bearer],
        }),
      ).toBe(401);
      const ids = fc.oneof(
        fc.string({ maxLength: 300 }).filter((value) => /^[\x20-\x7e]*$/.test(value)),
        fc.constant('a'.repeat(129)),
      );
      await fc.assert(
        fc.asyncProperty(ids, ids, async (first, second) => {
          tried += 1;
          const response = await pool.request({
            method: 'GET',
            path: '/v1/groups/0',
            headers: ['authorization', bearer, 'x-request-id', first, 'x-request-id', second],
          });
          await response.body.text();
          expect(response.statusCode).toBe(400);
          expect(String(response.headers['x-request-id'])).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('after the onslaught', () => {
  it('saw no 5xx and still serves normally', async () => {
    expect(serverErrors).toEqual([]);
    expect(tried).toBeGreaterThan(3000);
    await t.http.post('/v1/groups').set('authorization', bearer).send({ name: 'Still fine' }).expect(201);
  });
});

describe('valid unicode names', () => {
  it('are stored as sent, trimmed and NFC-normalized', async () => {
    const name = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
      .map((value) => value.trim())
      .filter((value) => value.length >= 1 && value.length <= 100 && !/[\p{Cc}\p{Cf}\uFFFD]/u.test(value));
    await fc.assert(
      fc.asyncProperty(name, async (value) => {
        const response = await t.http
          .post('/v1/groups')
          .set('authorization', bearer)
          .send({ name: ` ${value} ` });
        expect(response.status).toBe(201);
        expect(response.body.name.startsWith(value.normalize('NFC'))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
