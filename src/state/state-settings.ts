import type { Cluster, Redis } from 'ioredis';
import type { StateStore } from './state-store.js';
import type { StoreGate } from './store-gate.js';

/** The shared Redis, for what else is kept there (fair-use counters), and the gate its commands pass. */
export interface SharedRedis {
  client: Redis | Cluster;
  gate: StoreGate;
}

/**
 * What the state module is built from: the store start-up opened, and the secret its keys are
 * derived from. A class so that it is its own injection token (see app.module.ts, SettingsModule).
 */
export class StateSettings {
  /** Redis, or a Map in one development process. */
  store: StateStore;
  /** Undefined with the in-process store. */
  redis: SharedRedis | undefined;
  keyPrefix: string;
  secret: string;
  /** SESSION_SECRET_PREVIOUS: what was written under it is still read. */
  previousSecret: string | undefined;
}
