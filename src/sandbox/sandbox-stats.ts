import { SANDBOX_OPS, type SandboxOp } from './sandbox-op.js';

export interface SandboxStats {
  /** Every request that reached an operation's route, faulted or not. */
  requests: Record<SandboxOp, number>;
  /** Successful logins (ssids issued). */
  logins: number;
  /** Sockets open right now. */
  openConnections: number;
  /** Operation requests received and not yet answered (or abandoned). */
  inFlight: number;
}

export class SandboxStatsCounter {
  private requests = zeroCounts();
  private logins = 0;
  inFlight = 0;

  countRequest(op: SandboxOp): void {
    this.requests[op] += 1;
  }

  countLogin(): void {
    this.logins += 1;
  }

  snapshot(openConnections: number): SandboxStats {
    return { requests: { ...this.requests }, logins: this.logins, openConnections, inFlight: this.inFlight };
  }

  /** Zeroes the counters; the live gauges (connections, in flight) are not counters. */
  reset(): void {
    this.requests = zeroCounts();
    this.logins = 0;
  }
}

function zeroCounts(): Record<SandboxOp, number> {
  return Object.fromEntries(SANDBOX_OPS.map((op) => [op, 0])) as Record<SandboxOp, number>;
}
