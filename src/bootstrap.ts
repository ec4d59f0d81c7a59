import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createFastifyAdapter } from './app.setup.js';
import { AppConfig } from './config/app-config.js';
import type { DEMO_LOGIN, RunningSandbox } from './sandbox/sandbox.server.js';
import { MemoryStateStore } from './state/memory-state.store.js';
import { createRedisClient } from './state/redis-client.factory.js';
import { OUTAGE_SAFE_OPTIONS, redisConnection } from './state/redis-connection.js';
import { RedisStateStore } from './state/redis-state.store.js';
import { StateStore } from './state/state-store.js';
import { StoreGate } from './state/store-gate.js';
import { startTelemetry, Telemetry } from './telemetry/start-telemetry.js';

export interface BuiltApp {
  app: NestFastifyApplication;
  /** The in-process sandbox, when DEEPCALL_BASE_URL was not set. */
  sandbox: RunningSandbox | undefined;
  /** The sandbox's demo account, to tell the developer who started it. */
  demoLogin: typeof DEMO_LOGIN | undefined;
  store: StateStore;
}

/** Builds the application exactly as production runs it; server.ts and the e2e tests call this. */
export async function buildApp(
  config: AppConfig,
  options: { logDestination?: NodeJS.WritableStream } = {},
): Promise<BuiltApp> {
  // Started by main.ts already; here for the tests that build the application in-process.
  const telemetry = await startTelemetry();
  // Outside production only (config validation refuses it there): the built-in sandbox, loaded
  // only then, so a replica with a DeepCall to call never holds the emulator's code.
  const builtIn = config.deepcall.baseUrl === undefined ? await import('./sandbox/sandbox.server.js') : undefined;
  const sandbox = await builtIn?.startSandbox();
  const connection = redisConnection(config.redis);
  const redis = connection && createRedisClient(connection);
  // One gate for every Redis command of the service: the store's and the fair-use counters'.
  const storeGate = redis && new StoreGate(OUTAGE_SAFE_OPTIONS.commandTimeout!, () => redis.ping());
  // A reconnect is an answer too.
  if (redis && storeGate) redis.on('ready', () => storeGate.markUp());
  const store: StateStore = redis && storeGate ? new RedisStateStore(redis, storeGate) : new MemoryStateStore();
  const module = AppModule.forRoot({
    config,
    store,
    redis,
    storeGate,
    deepcallBaseUrl: config.deepcall.baseUrl ?? sandbox!.url,
    logDestination: options.logDestination,
  });
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      {
        module: BuiltAppModule,
        imports: [module],
        providers: [
          { provide: OwnedSandbox, useValue: new OwnedSandbox(sandbox) },
          { provide: TelemetryFlush, useValue: new TelemetryFlush(telemetry) },
        ],
      },
      createFastifyAdapter(config),
      // Fastify's own JSON parser only: Nest would add a urlencoded one, and bodies are JSON only.
      { bufferLogs: true, bodyParser: false, abortOnError: false },
    );
  } catch (error) {
    // Nothing else would close what was opened for the application that failed to build.
    await Promise.all([sandbox?.close(), store instanceof RedisStateStore ? store.onApplicationShutdown() : undefined]);
    throw error;
  }
  try {
    await configureApp(app, config, { sandbox: sandbox !== undefined });
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, sandbox, store, demoLogin: builtIn?.DEMO_LOGIN };
}

/** Closes the in-process sandbox with the application, so SIGTERM leaves nothing running. */
@Injectable()
class OwnedSandbox implements OnApplicationShutdown {
  constructor(private readonly sandbox: RunningSandbox | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sandbox?.close();
  }
}

/** Sends the spans still queued when the application shuts down (within the drain's time). */
@Injectable()
class TelemetryFlush implements OnApplicationShutdown {
  constructor(private readonly telemetry: Telemetry) {}

  async onApplicationShutdown(): Promise<void> {
    await this.telemetry.flush();
  }
}

class BuiltAppModule {}
