import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { fetchLiveDocument } from '../support/live-document.js';
import { OpenApiConformance } from '../support/openapi-conformance.js';
import { startTestApp, TestApp } from '../support/test-app.js';

let t: TestApp;
let doc: Record<string, any>;

beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.http.get('/docs-json').expect(200)).body;
});
afterAll(() => t.close());

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );

describe('the OpenAPI document', () => {
  it('is OpenAPI 3 with every route of the contract', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const routes = operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(routes.sort()).toEqual(
      [
        'DELETE /v1/groups/{id}',
        'DELETE /v1/sessions/current',
        'GET /v1/groups',
        'GET /v1/groups/{id}',
        'GET /v1/sessions/current',
        'PATCH /v1/groups/{id}',
        'POST /v1/groups',
        'POST /v1/sessions',
      ].sort(),
    );
  });

  it('has both security schemes, used by every group route', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: 'http', scheme: 'bearer' },
      'deepcall-login': { type: 'http', scheme: 'basic' },
    });
    for (const { path, operation } of operations().filter(({ path }) => path.startsWith('/v1/groups'))) {
      expect({ path, security: operation.security }).toEqual({
        path,
        security: expect.arrayContaining([{ session: [] }, { 'deepcall-login': [] }]),
      });
    }
  });

  it('gives each operation an id, a summary and problem+json error responses', () => {
    for (const { operation } of operations()) {
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(operation.summary).toBeTruthy();
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      expect(errors.length).toBeGreaterThan(0);
      for (const [, response] of errors)
        expect((response as any).content['application/problem+json'].schema.$ref).toBe(
          '#/components/schemas/ProblemDto',
        );
    }
  });

  it('carries the plugin metadata: nested DTOs, enums, descriptions and examples', () => {
    const { GroupListDto, GroupDto, CreateGroupDto, UpdateGroupDto, ProblemDto } = doc.components.schemas;
    expect(GroupListDto.properties.data).toEqual({
      type: 'array',
      description: expect.any(String),
      items: { $ref: '#/components/schemas/GroupDto' },
    });
    expect(GroupDto.properties.status.enum).toEqual(['active', 'inactive']);
    expect(GroupDto.properties.createdAt).toMatchObject({ nullable: true, format: 'date-time' });
    expect(CreateGroupDto.properties.name).toMatchObject({
      type: 'string',
      minLength: 1,
      pattern: expect.any(String),
      example: 'Sales Team',
    });
    expect(UpdateGroupDto.required ?? []).toEqual([]);
    expect(ProblemDto.properties.errors.items).toEqual({ $ref: '#/components/schemas/FieldErrorDto' });
  });

  it('documents 201 with Location on create and 204 on delete', () => {
    const create = doc.paths['/v1/groups'].post;
    expect(create.responses['201'].headers.Location).toBeDefined();
    expect(create.responses['201'].content['application/json'].schema.$ref).toBe('#/components/schemas/GroupDto');
    expect(doc.paths['/v1/groups/{id}'].delete.responses['204']).toBeDefined();
  });

  it('serves Swagger UI', async () => {
    const response = await t.http.get('/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('swagger-ui');
  });

  it('keeps health probes out of the document', () => {
    expect(Object.keys(doc.paths).some((path) => path.startsWith('/health'))).toBe(false);
  });
});

describe('the OpenAPI document for front ends', () => {
  it('names where to call: the serving origin by default, PUBLIC_BASE_URL behind the gateway', async () => {
    // Absolute, so that a client given the document as an object (swagger-client) knows where to call.
    expect(doc.servers).toEqual([
      { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), description: expect.any(String) },
    ]);
    // Made from the Host header: never cached for another host.
    const forAnotherHost = await t.http.get('/docs-json').set('host', 'docs.example.com:8080').expect(200);
    expect({
      servers: forAnotherHost.body.servers.map((s: { url: string }) => s.url),
      cache: forAnotherHost.headers['cache-control'],
    }).toEqual({ servers: ['http://docs.example.com:8080'], cache: 'no-store' });
    const behindGateway = await startTestApp({ env: { PUBLIC_BASE_URL: 'https://api.example.com/groups-bff/' } });
    try {
      expect((await fetchLiveDocument(behindGateway)).servers).toEqual([
        { url: 'https://api.example.com/groups-bff', description: expect.any(String) },
      ]);
    } finally {
      await behindGateway.close();
    }
  });

  it('describes the session as an opaque bearer token, not a JWT', () => {
    expect(doc.components.securitySchemes.session.bearerFormat).not.toMatch(/jwt/i);
  });

  it('gives every operation a description and every problem response an example per kind', () => {
    for (const { path, method, operation } of operations()) {
      expect({ path, method, description: typeof operation.description }).toEqual({
        path,
        method,
        description: 'string',
      });
      for (const [status, response] of Object.entries(operation.responses as Record<string, any>).filter(
        ([status]) => Number(status) >= 400,
      )) {
        const examples = Object.values(
          response.content['application/problem+json'].examples as Record<string, { value: { status: number } }>,
        );
        expect({
          path,
          method,
          status,
          examples: examples.length > 0 && examples.every(({ value }) => value.status === Number(status)),
        }).toEqual({ path, method, status, examples: true });
      }
    }
  });

  it('keeps Swagger UI from calling the online validator', async () => {
    const init = await t.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toMatch(/"validatorUrl":\s*null/);
  });
});

describe('the OpenAPI document is exact', () => {
  it('declares 500 on every operation, 413 and 415 wherever a body can be sent, and X-Request-Id on every answer', () => {
    for (const { path, method, operation } of operations()) {
      const statuses = Object.keys(operation.responses);
      expect({ path, method, has500: statuses.includes('500') }).toEqual({ path, method, has500: true });
      if (method !== 'get')
        expect({ path, method, statuses }).toEqual({ path, method, statuses: expect.arrayContaining(['413', '415']) });
      for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
        expect({
          path,
          method,
          status,
          requestId: response.headers?.['X-Request-Id'],
          traceresponse: response.headers?.traceresponse,
        }).toEqual({
          path,
          method,
          status,
          requestId: { $ref: '#/components/headers/X-Request-Id' },
          traceresponse: { $ref: '#/components/headers/traceresponse' },
        });
        if (status === '401') expect(response.headers['WWW-Authenticate']).toBeDefined();
        if (status === '429' || status === '503') expect(response.headers['Retry-After']).toBeDefined();
      }
    }
    expect(Object.keys(doc.paths['/v1/groups'].post.responses['201'].headers).sort()).toEqual([
      'ETag',
      'Idempotent-Replayed',
      'Location',
      'X-Request-Id',
      'traceresponse',
    ]);
  });

  it('refuses unknown fields, asks for something to change, and bounds ids, pages and keys', () => {
    const { CreateGroupDto, UpdateGroupDto, CreateSessionDto, SessionDto, CurrentSessionDto } = doc.components.schemas;
    for (const schema of [CreateGroupDto, UpdateGroupDto, CreateSessionDto])
      expect(schema.additionalProperties).toBe(false);
    expect(UpdateGroupDto.minProperties).toBe(1);
    expect(CreateSessionDto.properties.userId).toMatchObject({
      minLength: 1,
      maxLength: 128,
      pattern: expect.any(String),
    });
    expect(SessionDto.properties.expiresAt.format).toBe('date-time');
    expect(CurrentSessionDto.properties.absoluteExpiresAt).toMatchObject({ format: 'date-time', nullable: true });
    const id = doc.paths['/v1/groups/{id}'].get.parameters.find((p: { name: string }) => p.name === 'id');
    expect(id.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    const limit = doc.paths['/v1/groups'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
    const key = doc.paths['/v1/groups'].post.parameters.find((p: { name: string }) => p.name === 'Idempotency-Key');
    // No example: Swagger UI would pre-fill it, and a second create would replay or clash with the first.
    expect(key.schema).toEqual({ type: 'string', minLength: 1, maxLength: 257, pattern: expect.any(String) });
    expect(key.example).toBeUndefined();
    expect(doc.paths['/v1/sessions'].post.security).toEqual([]);
  });

  it('has a name pattern that is exactly the trimmed-length rule', () => {
    const pattern = new RegExp(doc.components.schemas.CreateGroupDto.properties.name.pattern, 'u');
    expect(
      ['a', '  a  ', `\t${'x'.repeat(100)}\n`, 'a b', '😀'.repeat(100)].filter((name) => !pattern.test(name)),
    ).toEqual([]);
    expect(
      ['', '   ', 'x'.repeat(101), 'a\u0000b', 'a\tb', '\u0001a', '😀'.repeat(101)].filter((name) =>
        pattern.test(name),
      ),
    ).toEqual([]);
  });

  it('catches an answer that breaks it: the response check is not vacuous', async () => {
    const loosened = structuredClone(doc);
    loosened.components.schemas.GroupDto.properties.id.type = 'string';
    const strict = new OpenApiConformance(loosened as OpenAPIObject);
    const answer = {
      method: 'GET',
      url: '/v1/groups/28',
      status: 200,
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'r1',
        traceresponse: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        etag: '"abc"',
      },
      body: { id: 28, name: 'A', status: 'active', createdAt: null },
      text: '{}',
    };
    expect(strict.violations(answer)).toEqual([
      expect.stringContaining('does not match #/components/schemas/GroupDto'),
    ]);
    expect(
      strict.violations({
        ...answer,
        headers: { ...answer.headers, 'retry-after': '3' },
        body: { ...answer.body, id: '28' },
      }),
    ).toEqual([expect.stringContaining('Retry-After is sent but not declared')]);
    expect(strict.violations({ ...answer, status: 418, body: {} })).toEqual([
      expect.stringContaining('status 418 is not declared'),
    ]);
  });
});
