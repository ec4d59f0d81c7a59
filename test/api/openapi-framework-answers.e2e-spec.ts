import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from '../support/test-app.js';

// Answers the framework gives before our code runs (bad JSON, other content types, bodies over
// the limit, a body on any method) must be declared too. t.http checks each answer against the
// document; here every operation gets each kind of bad body.
let t: TestApp;
let authorization: string;
beforeAll(async () => {
  t = await startTestApp();
  authorization = newLogin(t.sandbox).authorization;
});
afterAll(() => t.close());

const BAD_BODIES: { label: string; type: string; body: string }[] = [
  { label: 'broken JSON', type: 'application/json', body: '{"name":' },
  { label: 'text', type: 'text/plain', body: 'name=x' },
  { label: 'a form', type: 'application/x-www-form-urlencoded', body: 'name=x' },
  { label: 'over 16 KiB', type: 'application/json', body: JSON.stringify({ name: 'x'.repeat(17 * 1024) }) },
];

describe('framework answers are in the document', () => {
  it('for every operation and every kind of bad body', async () => {
    const statuses = new Set<number>();
    for (const { path, method } of t.conformance.operations()) {
      const url = path.replace('{id}', '1');
      for (const { type, body } of BAD_BODIES) {
        const call = t.http[method as 'get'](url)
          .set('authorization', authorization)
          .set('content-type', type)
          .send(body);
        statuses.add((await call).status);
      }
    }
    // Each of these happened at least once, and every answer above conformed.
    expect([...statuses].sort()).toEqual(expect.arrayContaining([400, 413, 415]));
  });
});
