import { toActiveFault, type ActiveFault } from './sandbox-fault.js';
import type { SandboxOp } from './sandbox-op.js';

/** The faults in force, oldest first: the oldest matching fault answers, so faults can be queued in sequence. */
export class SandboxFaultList {
  private faults: ActiveFault[] = [];

  add(fault: unknown): ActiveFault {
    const active = toActiveFault(fault);
    this.faults.push(active);
    return { ...active };
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault that applies to one request of `op`, used up by one if it is counted. */
  take(op: SandboxOp): ActiveFault | undefined {
    if (this.faults.length === 0) return undefined;
    const index = this.faults.findIndex((fault) => fault.op === '*' || fault.op === op);
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(index, 1);
    }
    return fault;
  }
}
