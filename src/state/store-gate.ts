import { Logger } from '@nestjs/common';
import { ReplyError } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentRequest } from '../core/request/request-context.js';
import { WaitMeter } from '../core/request/wait-meter.js';
import { StateStoreUnavailableError } from './state-store-unavailable.error.js';

/** How often at most a store known down is asked (PING) whether it answers again. */
const PROBE_EVERY_MS = 250;

/** Why a store call failed at once, without reaching Redis. */
export type SkipReason = 'known-down' | 'budget-spent';

const logger = new Logger('Redis');

/**
 * Every Redis command of the service passes here (the store's and the fair-use counters'), so a
 * frozen or dead Redis costs a request at most one command timeout, however many store calls it
 * makes (a session lookup, the login lease, the throttle's counters...):
 * - one budget per request: its store calls together wait at most `budgetMs`;
 * - known down: a command that got no answer (a timeout, a lost connection) marks the store down,
 *   and every command then fails at once, until a background PING is answered again.
 * Failures surface as StateStoreUnavailableError, as before: callers decide how to serve without.
 */
export class StoreGate {
  private downSince: number | undefined;
  private closed = false;
  private probing = false;
  private readonly skips: Record<SkipReason, number> = { 'known-down': 0, 'budget-spent': 0 };

  constructor(
    /** One command's timeout: the whole store budget of one request. */
    private readonly budgetMs: number,
    /** A cheap command that answers when the store is back (PING). */
    private readonly probe: () => Promise<unknown>,
  ) {}

  get knownDown(): boolean {
    return this.downSince !== undefined;
  }

  /** Store calls failed at once so far, by reason (for the metrics). */
  get skipped(): Readonly<Record<SkipReason, number>> {
    return this.skips;
  }

  /**
   * Runs `command` within the request's budget. Its errors become StateStoreUnavailableError,
   * except those `isAnswer` says are the store's answer (a rate limiter's refusal): they pass as they are.
   */
  async run<T>(operation: string, command: () => Promise<T>, isAnswer?: (error: unknown) => boolean): Promise<T> {
    if (this.downSince !== undefined) throw this.skip('known-down', operation);
    const context = currentRequest();
    const wait = context ? (context.storeWait ??= new WaitMeter()) : undefined;
    const leftMs = this.budgetMs - (wait?.spentMs() ?? 0);
    // Timers are whole milliseconds: less than one left is nothing to wait with.
    if (leftMs < 1) throw this.skip('budget-spent', operation);
    wait?.begin();
    try {
      return await withTimeout(command(), leftMs);
    } catch (error) {
      if (isAnswer?.(error)) throw error;
      // A reply is an answer (the store is up); a whole budget without one, or no connection, is not.
      const unanswered = error instanceof BudgetSpent ? leftMs >= this.budgetMs : !(error instanceof ReplyError);
      if (unanswered) this.markDown(operation, error);
      throw new StateStoreUnavailableError(operation);
    } finally {
      wait?.end();
    }
  }

  /** Stops the background probe (at shutdown). */
  close(): void {
    this.closed = true;
  }

  /** Redis answered (a probe, or the client's 'ready' after a reconnect): store calls resume. */
  markUp(): void {
    if (this.downSince === undefined) return;
    const downMs = Math.round(performance.now() - this.downSince);
    this.downSince = undefined;
    logger.log({ store: { downMs } }, 'Redis answers again; store calls resume');
  }

  private skip(reason: SkipReason, operation: string): StateStoreUnavailableError {
    this.skips[reason] += 1;
    return new StateStoreUnavailableError(operation);
  }

  private markDown(operation: string, error: unknown): void {
    if (this.downSince !== undefined) return;
    this.downSince = performance.now();
    const code = error instanceof BudgetSpent ? 'timeout' : ((error as NodeJS.ErrnoException).code ?? 'error');
    logger.warn(
      { store: { operation, code } },
      'Redis did not answer; store calls fail at once until it answers a PING again',
    );
    if (!this.probing) void this.probeUntilUp();
  }

  /**
   * PING after PING while the store is known down, so a thawed Redis is seen at once: its answer
   * to the PING that was waiting. A refused connection fails at once: then the next PING waits a little.
   */
  private async probeUntilUp(): Promise<void> {
    this.probing = true;
    try {
      while (this.downSince !== undefined && !this.closed) {
        const started = performance.now();
        const answered = await withTimeout(this.probe(), this.budgetMs).then(
          () => true,
          () => false,
        );
        if (answered) this.markUp();
        else await sleep(Math.max(0, PROBE_EVERY_MS - (performance.now() - started)), undefined, { ref: false });
      }
    } finally {
      this.probing = false;
    }
  }
}

class BudgetSpent extends Error {}

/** The command's answer, or BudgetSpent after `ms` (the command itself is left to finish or fail). */
function withTimeout<T>(command: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new BudgetSpent()), Math.ceil(ms));
  });
  return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
}
