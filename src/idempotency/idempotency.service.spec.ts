import { beforeEach, describe, expect, it } from '@jest/globals';
import { IdempotencyService, ReconcilableWrite } from './idempotency.service.js';
import { UpstreamError } from '../deepcall/upstream.error.js';
import { RedisKeys } from '../state/redis-keys.js';
import { Clock } from '../core/clock.js';
import { SessionSecrets } from '../state/session-secrets.js';
import { MemoryStateStore } from '../state/memory-state.store.js';
import { StateStoreUnavailableError } from '../state/state-store-unavailable.error.js';

interface Intent {
  before: number[];
}

/** DeepCall as the write sees it: the groups that exist, and what `add` does next. */
class FakeUpstream implements ReconcilableWrite<number, Intent> {
  groups: number[] = [];
  nextId = 100;
  adds = 0;
  /** Thrown by add; `landed` says whether the group is stored anyway. */
  failure: { error: unknown; landed: boolean } | undefined;

  async prepare(): Promise<Intent> {
    return { before: [...this.groups] };
  }

  async run(): Promise<number> {
    this.adds += 1;
    const id = this.nextId++;
    const failure = this.failure;
    this.failure = undefined;
    if (!failure || failure.landed) this.groups.push(id);
    if (failure) throw failure.error;
    return id;
  }

  async reconcile({ before }: Intent) {
    const appeared = this.groups.filter((id) => !before.includes(id));
    if (appeared.length === 0) return { notLanded: { before: [...this.groups] } };
    if (appeared.length === 1) return { landed: appeared[0] };
    return { ambiguous: true as const };
  }
}

const timeout = () => new UpstreamError('timeout', 'add');
const serverError = () => new UpstreamError('http-status', 'add', { httpStatus: 500 });

let store: MemoryStateStore;
let service: IdempotencyService;
let upstream: FakeUpstream;
const once = (leaseMs = 5000, key = 'key-1') => service.once('user', key, 'fingerprint', leaseMs, upstream);

beforeEach(() => {
  store = new MemoryStateStore();
  service = new IdempotencyService(store, new RedisKeys('test:', new SessionSecrets('x'.repeat(32))), new Clock());
  upstream = new FakeUpstream();
});

describe('IdempotencyService', () => {
  it('runs the write once and replays its answer', async () => {
    expect(await once()).toEqual({ answer: 100, replayed: false });
    expect(await once()).toEqual({ answer: 100, replayed: true });
    expect(upstream.adds).toBe(1);
  });

  it('a definite refusal from upstream frees the key: the retry writes', async () => {
    upstream.failure = { error: new UpstreamError('application', 'add', { upstreamCode: 1009 }), landed: false };
    await expect(once()).rejects.toBeInstanceOf(UpstreamError);
    expect(await once()).toEqual({ answer: 101, replayed: false });
  });

  it('a 5xx that stored the group anyway: the retry adopts it as a replay, nothing is added again', async () => {
    upstream.failure = { error: serverError(), landed: true };
    await expect(once()).rejects.toBeInstanceOf(UpstreamError);
    expect(await once()).toEqual({ answer: 100, replayed: true });
    expect(upstream.adds).toBe(1);
    expect(upstream.groups).toEqual([100]);
  });

  it('a 5xx that stored nothing: the retry writes once', async () => {
    upstream.failure = { error: serverError(), landed: false };
    await expect(once()).rejects.toBeInstanceOf(UpstreamError);
    expect(await once()).toEqual({ answer: 101, replayed: false });
    expect(upstream.groups).toEqual([101]);
  });

  it('a timeout holds the key (409) until its lease ends, then the retry reconciles', async () => {
    // The store's clock, moved by hand: the lease ends exactly when the test says.
    let clock = 0;
    service = new IdempotencyService(
      new MemoryStateStore(() => clock),
      new RedisKeys('test:', new SessionSecrets('x'.repeat(32))),
      { now: () => clock },
    );
    upstream.failure = { error: timeout(), landed: true };
    await expect(once(150)).rejects.toBeInstanceOf(UpstreamError);
    clock += 149;
    await expect(once()).rejects.toMatchObject({ kind: 'idempotencyInFlight', extras: { retryAfterSeconds: 1 } });
    clock += 1;
    expect(await once()).toEqual({ answer: 100, replayed: true });
    expect(upstream.adds).toBe(1);
  });

  it('two new groups of that name: outcome unknown, nothing written, the same answer every time', async () => {
    upstream.failure = { error: serverError(), landed: true };
    await expect(once()).rejects.toBeInstanceOf(UpstreamError);
    upstream.groups.push(555);
    for (let attempt = 0; attempt < 2; attempt += 1)
      await expect(once()).rejects.toMatchObject({ kind: 'idempotencyOutcomeUnknown', status: 409 });
    expect(upstream.adds).toBe(1);
  });

  it('another body under the same key is a 422, finished or still running', async () => {
    await once();
    await expect(service.once('user', 'key-1', 'other', 5000, upstream)).rejects.toMatchObject({
      kind: 'idempotencyKeyReused',
    });
    upstream.failure = { error: timeout(), landed: false };
    await expect(once(5000, 'key-2')).rejects.toBeInstanceOf(UpstreamError);
    await expect(service.once('user', 'key-2', 'other', 5000, upstream)).rejects.toMatchObject({
      kind: 'idempotencyKeyReused',
    });
  });

  it('a reservation that fails in the store is released behind itself and reaches nothing upstream', async () => {
    const released: string[] = [];
    store.writeIfAbsent = async () => {
      throw new StateStoreUnavailableError('write-if-absent');
    };
    store.releaseLock = async (key: string) => {
      released.push(key);
    };
    await expect(once()).rejects.toBeInstanceOf(StateStoreUnavailableError);
    expect(released).toEqual([expect.stringMatching(/:lease$/)]);
    expect(upstream.adds).toBe(0);
  });

  it('when the intent cannot be recorded, add is never called and the key is free again', async () => {
    const write = store.write.bind(store);
    store.write = async () => {
      throw new StateStoreUnavailableError('write');
    };
    await expect(once()).rejects.toBeInstanceOf(StateStoreUnavailableError);
    expect(upstream.adds).toBe(0);
    store.write = write;
    expect(await once()).toEqual({ answer: 100, replayed: false });
  });
});
