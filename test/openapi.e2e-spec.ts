import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fetchLiveDocument } from './frontend/support/live-document.js';
import { startTestApp, TestApp } from './support/test-app.js';

let t: TestApp;
let doc: Record<string, any>;

beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.http.get('/docs-json').expect(200)).body;
});
afterAll(() => t.close());

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

describe('the OpenAPI document', () => {
  it('is OpenAPI 3 with every route of the contract', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const routes = operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(routes.sort()).toEqual(['DELETE /v1/groups/{id}', 'DELETE /v1/sessions/current', 'GET /v1/groups', 'GET /v1/groups/{id}', 'PATCH /v1/groups/{id}', 'POST /v1/groups', 'POST /v1/sessions'].sort());
  });

  it('has both security schemes, used by every group route', () => {
    expect(doc.components.securitySchemes).toMatchObject({ session: { type: 'http', scheme: 'bearer' }, 'deepcall-login': { type: 'http', scheme: 'basic' } });
    for (const { path, operation } of operations().filter(({ path }) => path.startsWith('/v1/groups'))) {
      expect({ path, security: operation.security }).toEqual({ path, security: expect.arrayContaining([{ session: [] }, { 'deepcall-login': [] }]) });
    }
  });

  it('gives each operation an id, a summary and problem+json error responses', () => {
    for (const { operation } of operations()) {
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(operation.summary).toBeTruthy();
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      expect(errors.length).toBeGreaterThan(0);
      for (const [, response] of errors) expect((response as any).content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDto');
    }
  });

  it('carries the plugin metadata: nested DTOs, enums, descriptions and examples', () => {
    const { GroupListDto, GroupDto, CreateGroupDto, UpdateGroupDto, ProblemDto } = doc.components.schemas;
    expect(GroupListDto.properties.data).toEqual({ type: 'array', description: expect.any(String), items: { $ref: '#/components/schemas/GroupDto' } });
    expect(GroupDto.properties.status.enum).toEqual(['active', 'inactive']);
    expect(GroupDto.properties.createdAt).toMatchObject({ nullable: true, format: 'date-time' });
    expect(CreateGroupDto.properties.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 100, example: 'Sales Team' });
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
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    const behindGateway = await startTestApp({ env: { PUBLIC_BASE_URL: 'https://api.example.com/groups-bff/' } });
    try {
      expect((await fetchLiveDocument(behindGateway)).servers).toEqual([{ url: 'https://api.example.com/groups-bff', description: expect.any(String) }]);
    } finally {
      await behindGateway.close();
    }
  });

  it('describes the session as an opaque bearer token, not a JWT', () => {
    expect(doc.components.securitySchemes.session.bearerFormat).not.toMatch(/jwt/i);
  });

  it('gives every operation a description and every problem response an example per kind', () => {
    for (const { path, method, operation } of operations()) {
      expect({ path, method, description: typeof operation.description }).toEqual({ path, method, description: 'string' });
      for (const [status, response] of Object.entries(operation.responses as Record<string, any>).filter(([status]) => Number(status) >= 400)) {
        const examples = Object.values(response.content['application/problem+json'].examples as Record<string, { value: { status: number } }>);
        expect({ path, method, status, examples: examples.length > 0 && examples.every(({ value }) => value.status === Number(status)) }).toEqual({ path, method, status, examples: true });
      }
    }
  });

  it('keeps Swagger UI from calling the online validator', async () => {
    const init = await t.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toMatch(/"validatorUrl":\s*null/);
  });
});
