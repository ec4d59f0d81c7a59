import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app.js';
import { buildApp, BuiltApp } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/load-config.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('Swagger UI hardening', () => {
  it('relaxes the Content-Security-Policy for /docs only', async () => {
    const docs = await t.http.get('/docs').expect(200);
    expect(docs.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    for (const path of ['/v1/groups', '/docs-json', '/nope']) {
      const answer = await t.http.get(path);
      expect({ path, csp: answer.headers['content-security-policy'] }).toEqual({
        path,
        csp: "default-src 'none';frame-ancestors 'none'",
      });
    }
  });

  it('does not keep what was typed into Authorize in the browser', async () => {
    const init = await t.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toMatch(/"persistAuthorization":\s*false/);
  });

  it('names the demo login only when the built-in sandbox is the upstream', async () => {
    const withUpstream = (await t.http.get('/docs-json').expect(200)).body as { info: { description: string } };
    expect(withUpstream.info.description).not.toContain('demo-token');

    let built: BuiltApp | undefined;
    try {
      built = await buildApp(loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' }));
      await built.app.init();
      await built.app.getHttpAdapter().getInstance().ready();
      const withSandbox = (await request(built.app.getHttpServer()).get('/docs-json').expect(200)).body as {
        info: { description: string };
      };
      expect(withSandbox.info.description).toContain('`demo` / `demo-token`');
    } finally {
      await built?.app.close();
    }
  });
});
