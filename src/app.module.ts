import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { Cluster, Redis } from 'ioredis';
import { AuditModule } from './audit/audit.module.js';
import { AppConfig } from './config/app-config.js';
import { createRootLogger, ROOT_LOGGER } from './core/logging/root-logger.js';
import { ProblemFilter } from './core/problem/problem.filter.js';
import { createValidationPipe } from './core/validation/validation.pipe.js';
import { DeepcallModule } from './deepcall/deepcall.module.js';
import { FairUseModule } from './fair-use/fair-use.module.js';
import { GroupsModule } from './groups/groups.module.js';
import { HealthModule } from './health/health.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SessionModule } from './session/session.module.js';
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

/** All global wiring lives here, so server.ts and the tests build the same application. */
@Module({})
export class AppModule {
  static forRoot({ config, deepcallBaseUrl, store, redis, storeGate, logDestination }: AppRuntime): DynamicModule {
    const logger = createRootLogger(config.logLevel, logDestination);
    return {
      module: AppModule,
      imports: [
        MetricsModule,
        LifecycleModule,
        DeepcallModule.forRoot({ ...config.deepcall, baseUrl: deepcallBaseUrl }),
        SessionModule.forRoot({
          store,
          secret: config.session.secret,
          previousSecret: config.session.previousSecret,
          keyPrefix: config.redis.keyPrefix,
          idleTtlMs: config.session.idleTtlSeconds * 1000,
          maxAgeMs: config.session.maxAgeSeconds * 1000,
          maxPerUser: config.session.maxPerUser,
          upstreamTimeoutMs: config.deepcall.timeoutMs,
          requestDeadlineMs: config.deepcall.requestDeadlineMs,
        }),
        FairUseModule.forRoot({
          settings: config.fairUse,
          redis: redis && storeGate && { client: redis, gate: storeGate },
          keyPrefix: config.redis.keyPrefix,
        }),
        AuditModule.forRoot(logger),
        GroupsModule,
        HealthModule,
      ],
      providers: [
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
