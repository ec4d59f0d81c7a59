import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { LogCapture } from './log-capture.js';
import { waitFor } from './wait-for.js';
import { OpenApiConformance } from './openapi-conformance.js';
import { buildApp } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/load-config.js';
import { buildOpenApiDocument } from '../../src/core/openapi/swagger.setup.js';
import { RunningSandbox, SandboxOptions, startSandbox } from '../../src/sandbox/sandbox.server.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** supertest on the app; every answer is checked against the OpenAPI document (see conformingHttp). */
  http: ReturnType<typeof request>;
  /** The app's OpenAPI document, with ajv validators for its schemas. */
  conformance: OpenApiConformance;
  sandbox: RunningSandbox;
  logs: LogCapture;
  /** A separate client on the same Redis, to inspect what the service wrote. */
  redis: Redis;
  keyPrefix: string;
  /** Every key this app wrote (they all share its private prefix). */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  sandbox?: SandboxOptions;
  /** Use an already running sandbox (not closed by this app). */
  sandboxOf?: RunningSandbox;
  /** The Redis to inspect, when the app reaches Redis another way (Sentinel, Cluster). */
  inspectRedisUrl?: string;
}

/** The Redis the test runner started (scripts/test.mjs), or the one given as TEST_REDIS_URL. */
export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the suite with `npm test`');
  return url;
}

/**
 * The application as production builds it (same buildApp), against a sandbox over real HTTP
 * and the real Redis, with a private key prefix and captured logs.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const sandbox = options.sandboxOf ?? (await startSandbox(options.sandbox));
  const keyPrefix = options.env?.REDIS_KEY_PREFIX ?? `test-${randomUUID()}:`;
  const logs = new LogCapture();
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'debug',
    DEEPCALL_BASE_URL: sandbox.url,
    REDIS_URL: options.env?.REDIS_URL ?? testRedisUrl(),
    REDIS_KEY_PREFIX: keyPrefix,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    ...options.env,
  });
  const { app, store } = await buildApp(config, { logDestination: logs });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  // Traffic only once the service's own Redis connection is up, as a gateway waits for a new
  // replica: commands never queue while disconnected, so a request racing the connect gets a 503.
  await waitFor(
    () =>
      store.ping().then(
        () => true,
        () => false,
      ),
    10_000,
    "the service's Redis connection",
  );
  const redis = new Redis(options.inspectRedisUrl ?? config.redis.url!, { lazyConnect: true });
  await redis.connect();
  const conformance = (documentOfRecord ??= new OpenApiConformance(buildOpenApiDocument(app)));
  return {
    app,
    http: conformingHttp(request(app.getHttpServer()), conformance),
    conformance,
    sandbox,
    logs,
    redis,
    keyPrefix,
    // Sorted: KEYS answers in no particular order, and tests compare the list before and after.
    keys: async () => (await redis.keys(`${keyPrefix}*`)).sort(),
    async close() {
      await app.close();
      await redis.quit();
      if (!options.sandboxOf) await sandbox.close();
    },
  };
}

// The document does not depend on the settings a test app is started with: built once per test file.
let documentOfRecord: OpenApiConformance | undefined;

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/**
 * supertest whose every answer must match the OpenAPI document: its status declared for the
 * operation, its body the schema declared for that status, its headers declared. Done here
 * once, so no test can forget it; a mismatch fails the request like a failed `.expect`.
 */
function conformingHttp(http: ReturnType<typeof request>, conformance: OpenApiConformance): ReturnType<typeof request> {
  const wrapped = Object.create(http) as Record<(typeof METHODS)[number], (url: string) => request.Test>;
  for (const method of METHODS) {
    wrapped[method] = (url) =>
      http[method](url).expect((response) => {
        const answer = {
          method,
          url,
          status: response.status,
          headers: response.headers,
          body: response.body,
          text: response.text ?? '',
        };
        const violations = conformance.violations(answer);
        if (violations.length > 0)
          throw new Error(`The answer breaks the OpenAPI document:\n  ${violations.join('\n  ')}`);
      });
  }
  return wrapped as unknown as ReturnType<typeof request>;
}

export function basic(userId: string, token: string): string {
  return `Basic ${Buffer.from(`${userId}:${token}`).toString('base64')}`;
}

/** A fresh DeepCall login known to the sandbox, so tests do not share groups. */
/** Every call the sandbox has answered so far, whatever the operation. */
export function upstreamCallsOf(sandbox: RunningSandbox): number {
  return Object.values(sandbox.control.stats().requests).reduce((sum, count) => sum + count, 0);
}

export function newLogin(
  sandbox: RunningSandbox,
  label = 'user',
): { userId: string; token: string; authorization: string } {
  const userId = `${label}-${randomUUID().slice(0, 8)}`;
  const token = `tok-${randomBytes(12).toString('hex')}`;
  sandbox.control.addUser(userId, token);
  return { userId, token, authorization: basic(userId, token) };
}
