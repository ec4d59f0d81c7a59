import { DynamicModule, Module } from '@nestjs/common';
import { FAIR_USE_SETTINGS, FairUseSettings } from './fair-use-settings.js';
import { LoginThrottle } from './login-throttle.js';
import { RateLimiters, SharedCounters } from './rate-limiters.js';
import { UserConcurrency } from './user-concurrency.js';
import { MetricsModule } from '../metrics/metrics.module.js';

export interface FairUseModuleOptions {
  settings: FairUseSettings;
  /** The shared Redis and its gate; undefined with the in-process store (counts kept in memory). */
  redis: SharedCounters | undefined;
  keyPrefix: string;
}

/** Login throttling and per-user concurrency (docs/api-contract.md, "Fair use and abuse"). */
@Module({})
export class FairUseModule {
  static forRoot({ settings, redis, keyPrefix }: FairUseModuleOptions): DynamicModule {
    return {
      module: FairUseModule,
      // Configured once, by AppModule.forRoot; global so feature modules use it without configuring
      // it again (the forRoot pattern of Nest's own configured modules).
      global: true,
      imports: [MetricsModule],
      providers: [
        { provide: FAIR_USE_SETTINGS, useValue: settings },
        { provide: RateLimiters, useValue: new RateLimiters(redis, keyPrefix) },
        LoginThrottle,
        UserConcurrency,
      ],
      exports: [LoginThrottle, UserConcurrency],
    };
  }
}
