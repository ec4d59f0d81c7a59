import type { Socket } from 'node:net';

import { SandboxFaultList } from './sandbox-fault-list.js';
import { SandboxGroupStore } from './sandbox-group-store.js';
import { SandboxLoginStore } from './sandbox-login-store.js';
import type { SandboxSettings } from './sandbox-options.js';
import { SandboxStatsCounter } from './sandbox-stats.js';

/** Everything one running sandbox holds; shared by the request handlers and SandboxControl. */
export class SandboxState {
  readonly logins = new SandboxLoginStore();
  readonly groups = new SandboxGroupStore();
  readonly faults = new SandboxFaultList();
  readonly stats = new SandboxStatsCounter();
  readonly sockets = new Set<Socket>();
  /** Aborted by close(), so pending delays end instead of holding the process open. */
  readonly closing = new AbortController();
  settings: SandboxSettings;

  constructor(readonly startSettings: SandboxSettings) {
    this.settings = { ...startSettings };
  }
}
