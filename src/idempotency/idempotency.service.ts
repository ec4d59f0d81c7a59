import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { IdempotencyLease, IdempotencyRecord } from './idempotency-record.js';
import { mayHaveLanded, mayStillRun } from '../deepcall/upstream.error.js';
import { Clock } from '../core/clock.js';
import { ProblemError } from '../core/problem/problem.error.js';
import type { ProblemKind } from '../core/problem/problem-kinds.js';
import { INTERNAL_ATTRIBUTES, inInternalSpan } from '../telemetry/internal-span.js';
import { RedisKeys } from '../state/redis-keys.js';
import { StateStore } from '../state/state-store.js';

const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface IdempotentOutcome<T> {
  answer: T;
  /** True when the answer is the stored one of an earlier request with the same key. */
  replayed: boolean;
}

/** What a write that cannot be repeated blindly must offer, so a retry can find out what happened. */
export interface ReconcilableWrite<T, Intent> {
  /** Looks before writing: what a later attempt needs to tell whether this write landed. */
  prepare(): Promise<Intent>;
  /** The write itself (and whatever reading back it does). */
  run(intent: Intent): Promise<T>;
  /**
   * After an attempt whose outcome is unknown: the answer when its write landed, a fresh intent
   * when it did not, `ambiguous` when upstream cannot tell (another client wrote alike meanwhile).
   */
  reconcile(intent: Intent): Promise<{ landed: T } | { notLanded: Intent } | { ambiguous: true }>;
}

const noop = () => undefined;

/**
 * The IETF Idempotency-Key semantics, exactly once whatever fails: a lease held by the one running
 * attempt (it expires with its request's deadline), and a record, `calling` before the write is
 * sent, then `done` (replayed for 24 h) or `ambiguous`. A `calling` left behind by an unknown
 * outcome is reconciled with upstream by the next attempt before it writes.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly store: StateStore,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  static fingerprint(body: unknown): string {
    return createHash('sha256').update(JSON.stringify(body)).digest('base64url');
  }

  /**
   * `leaseMs`: what is left of this request's deadline, the longest this attempt can run. In the
   * `idempotency.lease` span (the write's own spans are its children), with how it went, never the key.
   */
  once<T, Intent>(
    userId: string,
    idempotencyKey: string,
    fingerprint: string,
    leaseMs: number,
    write: ReconcilableWrite<T, Intent>,
  ): Promise<IdempotentOutcome<T>> {
    return inInternalSpan(
      'idempotency.lease',
      async (span) => {
        try {
          const outcome = await this.leased(userId, idempotencyKey, fingerprint, leaseMs, write);
          span.setAttribute(INTERNAL_ATTRIBUTES.leaseOutcome, outcome.replayed ? 'replayed' : 'acquired');
          return outcome;
        } catch (error) {
          const refused = error instanceof ProblemError && LEASE_REFUSALS[error.kind];
          if (refused) span.setAttribute(INTERNAL_ATTRIBUTES.leaseOutcome, refused);
          throw error;
        }
      },
      { isAnswer: (error) => error instanceof ProblemError && LEASE_REFUSALS[error.kind] !== undefined },
    );
  }

  private async leased<T, Intent>(
    userId: string,
    idempotencyKey: string,
    fingerprint: string,
    leaseMs: number,
    write: ReconcilableWrite<T, Intent>,
  ): Promise<IdempotentOutcome<T>> {
    const recordKey = this.keys.idempotency(userId, idempotencyKey);
    const leaseKey = this.keys.idempotencyLease(recordKey);
    // During a SESSION_SECRET rotation, a key first used under the previous secret is found there.
    const previousKey = this.keys.previous?.idempotency(userId, idempotencyKey);
    const beforeRotation = previousKey === undefined ? undefined : await this.readRecord<T, Intent>(previousKey);
    if (beforeRotation) {
      const replayed = this.replayOf(beforeRotation, fingerprint);
      if (replayed) return replayed;
      // Its outcome is still to be found out: carried over, so that this attempt reconciles it.
      await this.store.writeIfAbsent(recordKey, JSON.stringify(beforeRotation), REPLAY_WINDOW_MS);
    }
    const ttlMs = Math.max(1, Math.floor(leaseMs));
    const lease = JSON.stringify({
      attempt: randomUUID(),
      fingerprint,
      until: this.clock.now() + ttlMs,
    } satisfies IdempotencyLease);
    let leased: boolean;
    try {
      leased = await this.store.writeIfAbsent(leaseKey, lease, ttlMs);
    } catch (error) {
      // The command may still reach Redis once it recovers: this release follows it on the same
      // connection, so a late lease cannot make a retry wait. Nothing was sent upstream.
      this.store.releaseLock(leaseKey, lease).catch(noop);
      throw error;
    }
    if (!leased) return this.heldByAnother(recordKey, leaseKey, fingerprint);
    return this.attempt(recordKey, leaseKey, lease, fingerprint, write);
  }

  private async attempt<T, Intent>(
    recordKey: string,
    leaseKey: string,
    lease: string,
    fingerprint: string,
    write: ReconcilableWrite<T, Intent>,
  ): Promise<IdempotentOutcome<T>> {
    const release = () => this.store.releaseLock(leaseKey, lease).catch(noop);
    // Set once nothing earlier is left to find out: from then on a failure before the write frees the record too.
    let settled = false;
    let writing = false;
    try {
      const earlier = await this.readRecord<T, Intent>(recordKey);
      if (earlier) {
        const replayed = this.replayOf(earlier, fingerprint);
        if (replayed) {
          void release();
          return replayed;
        }
      }
      let intent: Intent;
      if (earlier?.state === 'calling') {
        const found = await reconcileSpan(() => write.reconcile(earlier.intent!));
        if ('landed' in found) {
          // Known now: a store failure must not hide it (the next retry would find it again).
          await this.finish(recordKey, fingerprint, found.landed).catch(noop);
          void release();
          return { answer: found.landed, replayed: true };
        }
        if ('ambiguous' in found) {
          // Kept, so every later retry gets the same answer instead of a guess.
          await this.store.write(
            recordKey,
            JSON.stringify({ state: 'ambiguous', fingerprint } satisfies IdempotencyRecord<T, Intent>),
            REPLAY_WINDOW_MS,
          );
          throw outcomeUnknown();
        }
        intent = found.notLanded;
      } else {
        intent = await write.prepare();
      }
      settled = true;
      await this.store.write(
        recordKey,
        JSON.stringify({ state: 'calling', fingerprint, intent } satisfies IdempotencyRecord<T, Intent>),
        REPLAY_WINDOW_MS,
      );
      writing = true;
      const answer = await write.run(intent);
      // The write succeeded: a store failure now must not turn its answer into an error.
      await this.finish(recordKey, fingerprint, answer).catch(noop);
      void release();
      return { answer, replayed: false };
    } catch (error) {
      // Outcome unknown: `calling` stays for the next attempt to reconcile, and while DeepCall may
      // still be working on it (no answer at all) the lease runs out with this request's deadline.
      const unknown = writing && mayHaveLanded(error);
      // Nothing landed: free the key at once (these commands queue behind any that timed out).
      if (settled && !unknown) this.store.remove(recordKey).catch(noop);
      if (!unknown || !mayStillRun(error)) void release();
      throw error;
    }
  }

  /** The lease is taken: the answer if there is one, else 409 until that attempt's deadline. */
  private async heldByAnother<T>(
    recordKey: string,
    leaseKey: string,
    fingerprint: string,
  ): Promise<IdempotentOutcome<T>> {
    const earlier = await this.readRecord<T, unknown>(recordKey);
    const replayed = earlier && this.replayOf(earlier, fingerprint);
    if (replayed) return replayed;
    const holder = parse<IdempotencyLease>(await this.store.read(leaseKey));
    if (holder && holder.fingerprint !== fingerprint) throw keyReused();
    // Most attempts end well before their lease does: ask for a retry soon, say how long at most.
    const heldForSeconds = Math.max(1, Math.ceil(((holder?.until ?? 0) - this.clock.now()) / 1000));
    throw new ProblemError(
      'idempotencyInFlight',
      `The first request with this Idempotency-Key has not finished yet; retry later (it holds the key at most ${heldForSeconds} s more).`,
      {
        retryAfterSeconds: 1,
      },
    );
  }

  /** A finished record's answer (or its problem); undefined when the record is still `calling`. */
  private replayOf<T>(earlier: IdempotencyRecord<T, unknown>, fingerprint: string): IdempotentOutcome<T> | undefined {
    if (earlier.fingerprint !== fingerprint) throw keyReused();
    if (earlier.state === 'ambiguous') throw outcomeUnknown();
    return earlier.state === 'done' ? { answer: earlier.answer as T, replayed: true } : undefined;
  }

  private async finish<T>(recordKey: string, fingerprint: string, answer: T): Promise<void> {
    await this.store.write(
      recordKey,
      JSON.stringify({ state: 'done', fingerprint, answer } satisfies IdempotencyRecord<T, never>),
      REPLAY_WINDOW_MS,
    );
  }

  private async readRecord<T, Intent>(recordKey: string): Promise<IdempotencyRecord<T, Intent> | undefined> {
    return parse<IdempotencyRecord<T, Intent>>(await this.store.read(recordKey));
  }
}

/** The problems that refuse the key without a failure, as the lease span's outcome. */
const LEASE_REFUSALS: Partial<Record<ProblemKind, string>> = {
  idempotencyInFlight: 'busy',
  idempotencyKeyReused: 'key-reused',
};

/** Finding out whether an earlier attempt's write landed, as the `idempotency.reconcile` span. */
function reconcileSpan<Found extends object>(reconcile: () => Promise<Found>): Promise<Found> {
  return inInternalSpan('idempotency.reconcile', async (span) => {
    const found = await reconcile();
    const outcome = 'landed' in found ? 'landed' : 'ambiguous' in found ? 'ambiguous' : 'not-landed';
    span.setAttribute(INTERNAL_ATTRIBUTES.reconcileOutcome, outcome);
    return found;
  });
}

function parse<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

function keyReused(): ProblemError {
  return new ProblemError('idempotencyKeyReused');
}

function outcomeUnknown(): ProblemError {
  return new ProblemError('idempotencyOutcomeUnknown');
}
