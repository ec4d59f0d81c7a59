import { Inject, Injectable } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { AuditActor } from './audit-actor.js';
import { ROOT_LOGGER } from '../core/logging/root-logger.js';
import { currentRequest } from '../core/request/request-context.js';
import { reachedDeepcall } from '../deepcall/upstream.error.js';

export type AuditAction = 'group.create' | 'group.update' | 'group.delete';

/** The label every audit line carries at its top level, to route them to their own sink. */
const AUDIT_LOG_LABEL = 'audit';

/**
 * One JSON line per group write that reached DeepCall: who (a pseudonym), what, on which group,
 * and whether DeepCall did it. A write refused before DeepCall (validation, limits, the open
 * circuit) changed nothing and writes no line.
 */
@Injectable()
export class AuditLog {
  private readonly logger: PinoLogger;

  constructor(
    @Inject(ROOT_LOGGER) root: PinoLogger,
    private readonly actor: AuditActor,
  ) {
    this.logger = root.child({ log: AUDIT_LOG_LABEL });
  }

  /** Runs the upstream write and records it; `groupIdOf` reads the group id from its result. */
  async write<T>(
    action: AuditAction,
    userId: string,
    groupId: number | undefined,
    write: () => Promise<T>,
    groupIdOf?: (result: T) => number,
  ): Promise<T> {
    let result: T;
    try {
      result = await write();
    } catch (error) {
      if (reachedDeepcall(error)) this.record(action, groupId ?? null, 'failure', userId);
      throw error;
    }
    this.record(action, groupIdOf ? groupIdOf(result) : (groupId ?? null), 'success', userId);
    return result;
  }

  /** A write found to have landed after its own attempt could not tell (a reconciled create). */
  landed(action: AuditAction, userId: string, groupId: number): void {
    this.record(action, groupId, 'success', userId);
  }

  private record(action: AuditAction, groupId: number | null, outcome: 'success' | 'failure', userId: string): void {
    this.logger.info(
      { requestId: currentRequest()?.requestId, audit: { action, groupId, outcome, actor: this.actor.of(userId) } },
      `audit ${action} ${outcome}`,
    );
  }
}
