import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { newLogin, startTestApp, TestApp } from './support/test-app.js';
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.close());
describe('probe', () => {
  it('dumps', async () => {
    const u = newLogin(t.sandbox);
    await t.http.get('/v1/groups').set('authorization', u.authorization);
    await t.http.get('/nope/really');
    await t.http.get('/v1/groups/abc').set('authorization', u.authorization);
    await t.http.get('/health/live');
    const m = await t.http.get('/metrics');
    const m2 = await t.http.get('/metrics');
    console.log(m2.text.split('\n').filter((l) => !l.includes('_bucket')).join('\n'));
    expect(1).toBe(1);
  });
});
