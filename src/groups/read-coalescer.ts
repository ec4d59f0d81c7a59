import { Injectable } from '@nestjs/common';

/**
 * Request coalescing, not a cache: identical reads of one user that overlap in time share one
 * upstream call, and the answer is dropped the moment that call settles. A write by the user
 * detaches every read of theirs still in flight, so a read that starts after the write has
 * finished makes a call of its own and sees it (the user reads their own writes). Per process.
 */
@Injectable()
export class ReadCoalescer {
  /** userId → (query key → the call in flight). Holds only calls that have not settled. */
  private readonly inFlight = new Map<string, Map<string, Promise<unknown>>>();

  /** Joins the identical read of `userId` in flight, or starts `read` and lets others join it. */
  share<T>(userId: string, query: string, read: () => Promise<T>): Promise<T> {
    const joined = this.inFlight.get(userId)?.get(query);
    if (joined) return joined as Promise<T>;
    let reads = this.inFlight.get(userId);
    if (!reads) {
      reads = new Map();
      this.inFlight.set(userId, reads);
    }
    const owner = reads;
    const running: Promise<T> = Promise.resolve()
      .then(read)
      .finally(() => {
        if (owner.get(query) === running) owner.delete(query);
        if (owner.size === 0 && this.inFlight.get(userId) === owner) this.inFlight.delete(userId);
      });
    owner.set(query, running);
    return running;
  }

  /**
   * Runs a write of `userId`. Whether it succeeds or fails (it may have landed either way), the
   * user's reads in flight are detached when it ends: they still answer those who joined them.
   */
  async write<T>(userId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      this.inFlight.delete(userId);
    }
  }

  /** Reads in flight right now: what the tests check is left behind (nothing, once calls settle). */
  size(): number {
    let count = 0;
    for (const reads of this.inFlight.values()) count += reads.size;
    return count;
  }
}
