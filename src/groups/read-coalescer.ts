import { Injectable } from '@nestjs/common';
import { timeLeftMs } from '../core/deadline/request-deadline.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { type Flight, SingleFlight } from '../core/single-flight.js';

/**
 * Whole-millisecond call timeouts and timer drift end a call up to a few ms before its deadline:
 * a call that failed this close to it ran out of time.
 */
const OUT_OF_TIME_MS = 5;

/** A user's reads in flight, each with the deadline of the caller that started it (it runs under that). */
type UserReads = SingleFlight<number>;

/**
 * Request coalescing, not a cache: identical reads of one user that overlap in time share one
 * upstream call, and the answer is dropped the moment that call settles. A write by the user
 * detaches every read of theirs still in flight, so a read that starts after the write has
 * finished makes a call of its own and sees it (the user reads their own writes). Per process.
 * Each caller keeps its own deadline: one who joined waits no longer than its own, and one whose
 * time outlasts the call it joined reads again when that call ran out of its first caller's time.
 */
@Injectable()
export class ReadCoalescer {
  /** userId → their reads in flight; a user with none has no entry. */
  private readonly users = new Map<string, UserReads>();

  /** Joins the identical read of `userId` in flight, or starts `read` and lets others join it. */
  share<T>(userId: string, query: string, read: () => Promise<T>, deadlineAt: number): Promise<T> {
    let reads = this.users.get(userId);
    const joined = reads?.join(query);
    if (joined) return this.waitFor(joined, userId, query, read, deadlineAt) as Promise<T>;
    if (!reads) {
      reads = new SingleFlight<number>('read');
      this.users.set(userId, reads);
    }
    const owner = reads;
    const forget = () => {
      if (owner.size === 0 && this.users.get(userId) === owner) this.users.delete(userId);
    };
    const answer = owner.start(query, read, deadlineAt);
    answer.then(forget, forget);
    return answer;
  }

  /**
   * Runs a write of `userId`. Whether it succeeds or fails (it may have landed either way), the
   * user's reads in flight are detached when it ends: they still answer those who joined them.
   */
  async write<T>(userId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.users.delete(userId);
    }
  }

  /** Reads in flight right now: what the tests check is left behind (nothing, once calls settle). */
  size(): number {
    let count = 0;
    for (const reads of this.users.values()) count += reads.size;
    return count;
  }

  private async waitFor<T>(
    joined: Flight<number>,
    userId: string,
    query: string,
    read: () => Promise<T>,
    deadlineAt: number,
  ): Promise<unknown> {
    try {
      return await untilDeadline(joined, deadlineAt);
    } catch (error) {
      const itsTimeRanOut = timeLeftMs(joined.meta) < OUT_OF_TIME_MS;
      if (itsTimeRanOut && timeLeftMs(deadlineAt) >= OUT_OF_TIME_MS) return this.share(userId, query, read, deadlineAt);
      throw error;
    }
  }
}

/** The joined call's answer, or a 504 at `deadlineAt` when that comes first (the call runs on for the others). */
function untilDeadline(joined: Flight<number>, deadlineAt: number): Promise<unknown> {
  // The call ends by its own deadline: a joiner with as much time or more needs no timer.
  if (deadlineAt >= joined.meta) return joined.answer;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ProblemError('gatewayTimeout')), Math.max(0, timeLeftMs(deadlineAt)));
  });
  return Promise.race([joined.answer, expired]).finally(() => clearTimeout(timer));
}
