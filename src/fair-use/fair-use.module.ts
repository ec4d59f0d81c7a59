import { Module } from '@nestjs/common';
import { LoginThrottle } from './login-throttle.js';
import { RateLimiters } from './rate-limiters.js';
import { UserConcurrency } from './user-concurrency.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { StateSettings } from '../state/state-settings.js';
import { StateModule } from '../state/state.module.js';

/** Login throttling and per-user concurrency (docs/api-contract.md, "Fair use and abuse"). */
@Module({
  imports: [StateModule, MetricsModule],
  providers: [
    {
      provide: RateLimiters,
      useFactory: (state: StateSettings) => new RateLimiters(state.redis, state.keyPrefix),
      inject: [StateSettings],
    },
    LoginThrottle,
    UserConcurrency,
  ],
  exports: [LoginThrottle, UserConcurrency],
})
export class FairUseModule {}
