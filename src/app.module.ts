import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { Cluster, Redis } from 'ioredis';
import { AppConfig } from './config/app-config.js';
import { Clock } from './core/clock.js';
import { createRootLogger, ROOT_LOGGER } from './core/logging/root-logger.js';
import { ProblemFilter } from './core/problem/problem.filter.js';
import { createValidationPipe } from './core/validation/validation.pipe.js';
import { DeepcallSettings } from './deepcall/deepcall.types.js';
import { FairUseSettings } from './fair-use/fair-use-settings.js';
import { GroupsModule } from './groups/groups.module.js';
import { HealthModule } from './health/health.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SessionSettings } from './session/session-settings.js';
import { SessionModule } from './session/session.module.js';
import { StateSettings } from './state/state-settings.js';
import { StateStore } from './state/state-store.js';
import type { StoreGate } from './state/store-gate.js';

/** What start-up resolved before the application is built. */
export interface AppRuntime {
  config: AppConfig;
  /** The configured upstream, or the in-process sandbox's address. */
  deepcallBaseUrl: string;
  store: StateStore;
  /** The Redis client behind the store, for what else is shared through Redis (fair-use counters). */
  redis?: Redis | Cluster;
  /** What every Redis command passes (with `redis`): the request's store budget, the store known down. */
  storeGate?: StoreGate;
  /** Where log lines go; stdout unless a test captures them. */
  logDestination?: NodeJS.WritableStream;
}

/**
 * What is process-wide, provided once for every module: the settings each feature declares (a
 * class each, its own injection token), the root logger and the clock. The one global module;
 * everything else is imported where it is used.
 */
class SettingsModule {}

function settingsModule({
  config,
  deepcallBaseUrl,
  store,
  redis,
  storeGate,
  logDestination,
}: AppRuntime): DynamicModule {
  const providers = [
    { provide: ROOT_LOGGER, useValue: createRootLogger(config.logLevel, logDestination) },
    { provide: Clock, useValue: new Clock() },
    { provide: DeepcallSettings, useValue: { ...config.deepcall, baseUrl: deepcallBaseUrl } },
    {
      provide: StateSettings,
      useValue: {
        store,
        redis: redis && storeGate && { client: redis, gate: storeGate },
        keyPrefix: config.redis.keyPrefix,
        secret: config.session.secret,
        previousSecret: config.session.previousSecret,
      },
    },
    {
      provide: SessionSettings,
      useValue: {
        idleTtlMs: config.session.idleTtlSeconds * 1000,
        maxAgeMs: config.session.maxAgeSeconds * 1000,
        maxPerUser: config.session.maxPerUser,
        requestDeadlineMs: config.deepcall.requestDeadlineMs,
        // A login holds the cross-process lock at most about as long as the upstream deadline.
        loginLockMs: config.deepcall.timeoutMs + 1000,
      },
    },
    { provide: FairUseSettings, useValue: config.fairUse },
  ] satisfies Provider[];
  return {
    module: SettingsModule,
    global: true,
    providers,
    exports: providers.map(({ provide }) => provide),
  };
}

/** All application wiring lives here, so server.ts and the tests build the same application. */
@Module({})
export class AppModule {
  static forRoot(runtime: AppRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [settingsModule(runtime), MetricsModule, LifecycleModule, SessionModule, GroupsModule, HealthModule],
      providers: [
        // The catch-all; the features' filters (UpstreamError, the store's) are registered later, so tried first.
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
