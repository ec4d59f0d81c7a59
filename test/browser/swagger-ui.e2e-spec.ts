import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { Browser, launchChromium } from '../support/chromium.js';
import { ListeningApp, startListeningApp } from '../support/listening-app.js';
import { REPO_ROOT } from '../support/run-tool.js';
import { basic } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { DEMO_LOGIN } from '../../src/sandbox/sandbox.server.js';

// Swagger UI in a real browser, as a front-end developer uses it: Authorize with the sandbox's
// demo login, create a group with "Try it out", list groups and see it.
const SCREENSHOT = resolve(REPO_ROOT, 'test-artifacts/swagger-ui.png');
const UI_TIMEOUT = 15_000;

let t: ListeningApp;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];

beforeAll(async () => {
  t = await startListeningApp();
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  // CSP violations and script errors show up here; Swagger UI must run without any.
  page.on('console', (message) => message.type() === 'error' && pageProblems.push(message.text()));
  page.on('pageerror', (error) => pageProblems.push(error.message));
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Opens an operation and switches it to Try it out. */
async function openTryItOut(operationId: string) {
  const operation = page.locator(`#operations-groups-${operationId}`);
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  return operation;
}

/** Executes an operation already in Try it out, with this body, and reads the live response. */
async function execute(operationId: string, body?: string): Promise<{ status: string; text: string }> {
  const operation = page.locator(`#operations-groups-${operationId}`);
  if (body !== undefined) await operation.locator('textarea.body-param__text').fill(body);
  const shown = operation.locator('.live-responses-table .response-col_description .highlight-code pre');
  const previous = (await shown.count()) > 0 ? await shown.first().innerText() : undefined;
  await operation.locator('button.execute').click();
  const response = operation.locator('.live-responses-table .response').first();
  // A second execution replaces the live response: wait until it has.
  const text = response.locator('.response-col_description .highlight-code pre');
  if (previous !== undefined)
    await waitFor(async () => (await text.innerText()) !== previous, UI_TIMEOUT, 'the new live response');
  return { status: (await response.locator('.response-col_status').innerText()).trim(), text: await text.innerText() };
}

async function tryItOut(operationId: string, body?: string): Promise<{ status: string; text: string }> {
  await openTryItOut(operationId);
  return execute(operationId, body);
}

/** The artifact: the operation from its title down to the live response (not the long list of documented ones). */
async function screenshotOperationUpToItsResponse(operationId: string): Promise<void> {
  const operation = page.locator(`#operations-groups-${operationId}`);
  await operation.scrollIntoViewIfNeeded();
  const top = await operation.boundingBox();
  const bottom = await operation.locator('.live-responses-table').boundingBox();
  const scrollY = Number(await page.evaluate('window.scrollY')); // a string: the test's tsconfig has no DOM types
  if (!top || !bottom) throw new Error(`${operationId} is not on screen`);
  mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
  await page.screenshot({
    path: SCREENSHOT,
    fullPage: true,
    clip: { x: top.x, y: top.y + scrollY, width: top.width, height: bottom.y + bottom.height - top.y },
  });
}

describe('Swagger UI in Chromium', () => {
  it('authorizes with the demo login, creates a group with Try it out and lists it', async () => {
    const name = `Swagger UI ${randomUUID().slice(0, 8)}`;
    await page.goto(`${t.baseUrl}/docs`);
    await expect(page.locator('.swagger-ui .info .title').innerText()).resolves.toContain('Groups BFF');

    await page.locator('.scheme-container button.authorize').click();
    const basicScheme = page.locator('.auth-container').filter({ hasText: 'deepcall-login' });
    await basicScheme.getByLabel('auth-basic-username').fill(DEMO_LOGIN.userId);
    await basicScheme.getByLabel('auth-basic-password').fill(DEMO_LOGIN.token);
    await basicScheme.locator('button.authorize').click();
    await basicScheme.getByText('Authorized', { exact: true }).waitFor();
    await page.locator('.dialog-ux button.close-modal').click();

    // Two creates in a row with Try it out: no Idempotency-Key is pre-filled, so the second is a
    // new group, not a replay of the first nor a 422 for reusing its key.
    const create = await openTryItOut('createGroup');
    await expect(create.locator('tr[data-param-name="Idempotency-Key"] input').inputValue()).resolves.toBe('');
    const created = await execute('createGroup', JSON.stringify({ name }, null, 2));
    expect(created.status).toBe('201');
    expect(JSON.parse(created.text)).toMatchObject({ name, status: 'active' });
    const second = await execute('createGroup', JSON.stringify({ name: `${name} bis` }, null, 2));
    expect(second.status).toBe('201');
    expect(JSON.parse(second.text)).toMatchObject({ name: `${name} bis`, status: 'active' });
    expect(JSON.parse(second.text).id).toBeGreaterThan(JSON.parse(created.text).id);

    const listed = await tryItOut('listGroups');
    expect(listed.status).toBe('200');
    expect(JSON.parse(listed.text).data).toEqual(expect.arrayContaining([expect.objectContaining({ name })]));

    await screenshotOperationUpToItsResponse('listGroups');

    // The group really exists for the demo account, not just on screen.
    const api = await t.http
      .get('/v1/groups')
      .query({ name })
      .set('authorization', basic(DEMO_LOGIN.userId, DEMO_LOGIN.token))
      .expect(200);
    expect(api.body.data.map((group: { name: string }) => group.name)).toEqual([name, `${name} bis`]);

    // Under the app's CSP (helmet): no script errors, no violations, nothing sent off the host.
    expect(pageProblems).toEqual([]);
    expect(browser.offHostRequests).toEqual([]);
  }, 60_000);
});
