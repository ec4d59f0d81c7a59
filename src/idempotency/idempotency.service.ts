import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ProblemError } from '../core/problem/problem.error.js';
import { RedisKeys } from '../state/redis-keys.js';
import { StateStore } from '../state/state-store.js';

const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

interface IdempotencyRecord<T> {
  state: 'running' | 'done';
  fingerprint: string;
  answer?: T;
}

export interface IdempotentOutcome<T> {
  answer: T;
  /** True when the answer is the stored one of an earlier request with the same key. */
  replayed: boolean;
}

/**
 * The IETF Idempotency-Key semantics: the first request with a key runs, later ones with the
 * same key and body get its answer for 24 h; another body is a 422, a request while the first
 * still runs is a 409. A first request that fails leaves the key free.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly store: StateStore,
    private readonly keys: RedisKeys,
  ) {}

  static fingerprint(body: unknown): string {
    return createHash('sha256').update(JSON.stringify(body)).digest('base64url');
  }

  /** `runningTtlMs` bounds how long a crashed first request can keep the key busy. */
  async once<T>(userId: string, idempotencyKey: string, fingerprint: string, runningTtlMs: number, action: () => Promise<T>): Promise<IdempotentOutcome<T>> {
    const storeKey = this.keys.idempotency(userId, idempotencyKey);
    // During a SESSION_SECRET rotation, a key first used under the previous secret is found there.
    const previousKey = this.keys.previous?.idempotency(userId, idempotencyKey);
    const beforeRotation = previousKey === undefined ? null : await this.store.read(previousKey);
    if (beforeRotation !== null) return { answer: this.replay<T>(JSON.parse(beforeRotation) as IdempotencyRecord<T>, fingerprint), replayed: true };
    const running: IdempotencyRecord<T> = { state: 'running', fingerprint };
    while (!(await this.store.writeIfAbsent(storeKey, JSON.stringify(running), runningTtlMs))) {
      const earlier = await this.store.read(storeKey);
      // The earlier record expired between the two calls: try to claim the key again.
      if (earlier !== null) return { answer: this.replay<T>(JSON.parse(earlier) as IdempotencyRecord<T>, fingerprint), replayed: true };
    }
    let answer: T;
    try {
      answer = await action();
    } catch (error) {
      await this.store.remove(storeKey).catch(() => undefined);
      throw error;
    }
    const done: IdempotencyRecord<T> = { state: 'done', fingerprint, answer };
    // The action succeeded: a store failure now must not turn its answer into an error.
    await this.store.write(storeKey, JSON.stringify(done), REPLAY_WINDOW_MS).catch(() => undefined);
    return { answer, replayed: false };
  }

  private replay<T>(earlier: IdempotencyRecord<T>, fingerprint: string): T {
    if (earlier.fingerprint !== fingerprint) {
      throw new ProblemError('idempotencyKeyReused');
    }
    if (earlier.state === 'running') {
      throw new ProblemError('idempotencyInFlight', undefined, { retryAfterSeconds: 1 });
    }
    return earlier.answer as T;
  }
}
