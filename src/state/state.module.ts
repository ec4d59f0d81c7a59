import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { RedisKeys } from './redis-keys.js';
import { SessionSecrets } from './session-secrets.js';
import { StateSettings } from './state-settings.js';
import { StateStoreUnavailableFilter } from './state-store-unavailable.error.js';
import { StateStore } from './state-store.js';
import { StoreGateMetrics } from './store-gate.metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';

/** The shared store, the names of its keys, and the secrets they are derived from. */
@Module({
  imports: [MetricsModule],
  providers: [
    { provide: StateStore, useFactory: (state: StateSettings) => state.store, inject: [StateSettings] },
    {
      provide: SessionSecrets,
      useFactory: (state: StateSettings) => new SessionSecrets(state.secret, state.previousSecret),
      inject: [StateSettings],
    },
    {
      provide: RedisKeys,
      useFactory: (state: StateSettings, secrets: SessionSecrets) => new RedisKeys(state.keyPrefix, secrets),
      inject: [StateSettings, SessionSecrets],
    },
    StoreGateMetrics,
    { provide: APP_FILTER, useClass: StateStoreUnavailableFilter },
  ],
  exports: [StateStore, RedisKeys, SessionSecrets],
})
export class StateModule {}
