import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { Browser, launchChromium } from '../support/chromium.js';
import { ListeningApp, startListeningApp } from '../support/listening-app.js';
import { PageOrigin, startPageOrigin } from '../support/page-origin.js';
import { newLogin } from '../support/test-app.js';

// CORS as a browser enforces it: a front end on an origin listed in CORS_ORIGINS uses every
// route (preflighted PATCH and DELETE included) and reads the exposed headers; another origin
// is refused by the browser.
let t: ListeningApp;
let frontEnd: PageOrigin;
let stranger: PageOrigin;
let browser: Browser;

beforeAll(async () => {
  [frontEnd, stranger] = await Promise.all([startPageOrigin(), startPageOrigin()]);
  t = await startListeningApp({ env: { CORS_ORIGINS: frontEnd.origin } });
  browser = await launchChromium();
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await Promise.all([frontEnd?.close(), stranger?.close()]);
});

async function pageOn(origin: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(origin);
  return page;
}

// Runs in the page: what a front end does, over fetch, with the session as a Bearer token. Each
// step records its status, or the browser's refusal ("Failed to fetch": a CORS failure).
async function crudInBrowser({
  api,
  userId,
  token,
}: {
  api: string;
  userId: string;
  token: string;
}): Promise<Record<string, string | number>> {
  const steps: Record<string, string | number> = {};
  const step = async (call: string, send: () => Promise<Response>): Promise<Response | undefined> => {
    try {
      const response = await send();
      steps[call] = response.status;
      return response;
    } catch (error) {
      steps[call] = (error as Error).message;
      return undefined;
    }
  };
  const json = { 'content-type': 'application/json' };
  const login = await step('POST /v1/sessions', () =>
    fetch(`${api}/v1/sessions`, { method: 'POST', headers: json, body: JSON.stringify({ userId, token }) }),
  );
  const session = (await login?.json()) as { sessionId?: string } | undefined;
  const bearer = { authorization: `Bearer ${session?.sessionId}` };
  const created = await step('POST /v1/groups', () =>
    fetch(`${api}/v1/groups`, {
      method: 'POST',
      headers: { ...json, ...bearer, 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ name: 'Cross-origin' }),
    }),
  );
  // Readable only because the service exposes these headers.
  const location = created?.headers.get('location') ?? '/v1/groups/0';
  steps['exposed Location'] = location.replace(/\d+$/, '{id}');
  steps['exposed X-Request-Id'] = String(created?.headers.has('x-request-id'));
  const etag = created?.headers.get('etag') ?? '';
  steps['exposed ETag'] = String(etag.startsWith('"'));
  await step('PATCH /v1/groups/{id}', () =>
    fetch(`${api}${location}`, {
      method: 'PATCH',
      headers: { ...json, ...bearer, 'if-match': etag },
      body: JSON.stringify({ status: 'inactive' }),
    }),
  );
  await step('DELETE /v1/groups/{id}', () => fetch(`${api}${location}`, { method: 'DELETE', headers: bearer }));
  await step('DELETE /v1/sessions/current', () =>
    fetch(`${api}/v1/sessions/current`, { method: 'DELETE', headers: bearer }),
  );
  return steps;
}

describe('CORS in Chromium', () => {
  it('lets a front end on an allowed origin log in, create, update, delete and log out', async () => {
    const page = await pageOn(frontEnd.origin);
    const { userId, token } = newLogin(t.sandbox, 'cors');
    const steps = await page.evaluate(crudInBrowser, { api: t.baseUrl, userId, token });
    // "Failed to fetch" on PATCH or DELETE: the preflight refused the method. @fastify/cors
    // allows only GET, HEAD and POST unless enableCors (src/app.setup.ts) lists `methods`.
    expect(steps).toEqual({
      'POST /v1/sessions': 201,
      'POST /v1/groups': 201,
      'exposed Location': '/v1/groups/{id}',
      'exposed X-Request-Id': 'true',
      'exposed ETag': 'true',
      'PATCH /v1/groups/{id}': 200,
      'DELETE /v1/groups/{id}': 204,
      'DELETE /v1/sessions/current': 204,
    });
  });

  it('is refused by the browser from an origin not in CORS_ORIGINS', async () => {
    const page = await pageOn(stranger.origin);
    const outcome = await page.evaluate(
      (api) =>
        fetch(`${api}/v1/groups`, { headers: { authorization: 'Bearer x' } }).then(
          (response) => `answered ${response.status}`,
          (error: Error) => `refused: ${error.message}`,
        ),
      t.baseUrl,
    );
    expect(outcome).toBe('refused: Failed to fetch');
  });

  it('leaves unknown paths a 404: the preflight catch-all does not make every path known', async () => {
    const response = await fetch(`${t.baseUrl}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('allow')).toBeNull();
    expect((await fetch(`${t.baseUrl}/v1/groups`, { method: 'PUT' })).status).toBe(405);
  });
});
