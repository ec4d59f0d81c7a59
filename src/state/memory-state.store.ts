import { randomUUID } from 'node:crypto';
import { StateStore } from './state-store.js';

const SWEEP_EVERY_MS = 60_000;

interface Entry {
  value: string;
  expiresAt: number;
}

/** A single-process store for development without Redis. Not shared, not durable. */
export class MemoryStateStore extends StateStore {
  readonly kind = 'memory';
  private readonly entries = new Map<string, Entry>();
  private readonly indexes = new Map<string, { members: Map<string, number>; expiresAt: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  async readAndSlide(key: string, ttlMs: number): Promise<string | null> {
    const entry = this.live(key);
    if (!entry) return null;
    entry.expiresAt = this.now() + ttlMs;
    return entry.value;
  }

  async expireAt(key: string, epochMs: number): Promise<void> {
    const entry = this.live(key);
    if (entry) entry.expiresAt = epochMs;
  }

  async write(key: string, value: string, ttlMs: number): Promise<void> {
    this.sweep();
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  async writeIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.write(key, value, ttlMs);
    return true;
  }

  async replace(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (!this.live(key)) return false;
    await this.write(key, value, ttlMs);
    return true;
  }

  async read(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }

  async remove(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    return (await this.writeIfAbsent(key, token, ttlMs)) ? token : null;
  }

  async releaseLock(key: string, token: string): Promise<void> {
    if (this.live(key)?.value === token) this.entries.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    return this.live(key) !== undefined;
  }

  async indexAdd(indexKey: string, member: string, score: number, ttlMs: number): Promise<string[]> {
    const index = this.liveIndex(indexKey) ?? { members: new Map<string, number>(), expiresAt: 0 };
    index.members.set(member, score);
    index.expiresAt = this.now() + ttlMs;
    this.indexes.set(indexKey, index);
    return [...index.members].sort(([, a], [, b]) => a - b).map(([indexed]) => indexed);
  }

  async indexRemove(indexKey: string, members: string[]): Promise<void> {
    const index = this.liveIndex(indexKey);
    for (const member of members) index?.members.delete(member);
  }

  async ping(): Promise<void> {}

  private liveIndex(indexKey: string) {
    const index = this.indexes.get(indexKey);
    if (index && index.expiresAt <= this.now()) {
      this.indexes.delete(indexKey);
      return undefined;
    }
    return index;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  // Expired entries are dropped now and then on write, so a long-running process does not grow.
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const [key, index] of this.indexes) if (index.expiresAt <= now) this.indexes.delete(key);
  }
}
