import type { SandboxFault } from './sandbox-fault.js';
import type { SandboxGroup } from './sandbox-group.js';
import { SandboxInputError } from './sandbox-input-error.js';
import { applyRuntimeOptions, isIntegerIn, type SandboxRuntimeOptions, type SandboxSettings } from './sandbox-options.js';
import type { SandboxState } from './sandbox-state.js';
import type { SandboxStats } from './sandbox-stats.js';

/** How tests, benchmarks and the /__sandbox/ routes steer a running sandbox. */
export class SandboxControl {
  constructor(private readonly state: SandboxState) {}

  addUser(userId: string, token: string): void {
    requireText(userId, 'userId');
    requireText(token, 'token');
    this.state.logins.addUser(userId, token);
  }

  /** Creates `count` groups named `<namePrefix> 1..count` (suffixed if taken); returns their ids. */
  seedGroups(userId: string, count: number, namePrefix = 'Group'): number[] {
    requireText(userId, 'userId');
    requireText(namePrefix, 'namePrefix');
    if (!isIntegerIn(count, 0, 1_000_000)) throw new SandboxInputError('count must be an integer 0..1000000');
    const now = new Date();
    const ids: number[] = [];
    for (let n = 1; n <= count; n += 1) ids.push(this.state.groups.add(userId, `${namePrefix} ${n}`, now).id);
    return ids;
  }

  /** Adds a fault; faults are consulted oldest first. */
  setFault(fault: SandboxFault): void {
    this.state.faults.add(fault);
  }

  clearFaults(): void {
    this.state.faults.clear();
  }

  expireSsids(): void {
    this.state.logins.expireSsids();
  }

  configure(options: SandboxRuntimeOptions): void {
    this.state.settings = applyRuntimeOptions(this.state.settings, options);
  }

  settings(): SandboxSettings {
    return { ...this.state.settings };
  }

  stats(): SandboxStats {
    return this.state.stats.snapshot(this.state.sockets.size);
  }

  resetStats(): void {
    this.state.stats.reset();
  }

  /** Copies of the user's stored groups, in id order. */
  groupsOf(userId: string): SandboxGroup[] {
    return Array.from(this.state.groups.list(userId), (group) => ({ ...group }));
  }

  /** Back to the state right after start: demo login only, no groups, faults, ssids or counts. */
  reset(): void {
    this.state.logins.reset();
    this.state.groups.clear();
    this.state.faults.clear();
    this.state.stats.reset();
    this.state.settings = { ...this.state.startSettings };
  }
}

function requireText(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new SandboxInputError(`${name} must be a non-empty string`);
}
