import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
// swagger-client has no type declarations; it is used here as any generic OpenAPI client would be.
// @ts-expect-error untyped package
import SwaggerClient from 'swagger-client';
import { ListeningApp, startListeningApp } from '../support/listening-app.js';
import { newLogin } from '../support/test-app.js';

// A generic client that nobody on this project wrote, given the document as an object (not a
// URL): it must find the server from `servers` alone and call every operation it needs.
let t: ListeningApp;
beforeAll(async () => {
  t = await startListeningApp();
});
afterAll(() => t.close());

interface SwaggerResponse {
  status: number;
  body: any;
}

describe('swagger-client with the document as an object', () => {
  it('logs in, creates, pages, asks who it is and logs out', async () => {
    const spec = await (await fetch(`${t.baseUrl}/docs-json`)).json();
    const { userId, token } = newLogin(t.sandbox, 'generic');
    const anonymous = await SwaggerClient({ spec });
    const login: SwaggerResponse = await anonymous.execute({
      operationId: 'createSession',
      requestBody: { userId, token },
    });
    expect(login.status).toBe(201);

    const client = await SwaggerClient({ spec, authorizations: { session: { value: login.body.sessionId } } });
    const call = (
      operationId: string,
      parameters: Record<string, unknown> = {},
      requestBody?: unknown,
    ): Promise<SwaggerResponse> =>
      client.execute({ operationId, parameters, ...(requestBody !== undefined && { requestBody }) });

    const created = [
      (await call('createGroup', { 'Idempotency-Key': crypto.randomUUID() }, { name: 'Generic 1' })).body,
      (await call('createGroup', {}, { name: 'Generic 2' })).body,
    ];
    const first = await call('listGroups', { limit: 1 });
    expect(first.body).toEqual({ data: [created[0]], next: expect.any(String) });
    const second = await call('listGroups', { limit: 1, cursor: first.body.next });
    expect(second.body).toEqual({ data: [created[1]], next: null });
    expect((await call('getCurrentSession')).body).toMatchObject({ userId });
    expect((await call('deleteCurrentSession')).status).toBe(204);
    await expect(call('getCurrentSession')).rejects.toMatchObject({ status: 401 });
  });
});
