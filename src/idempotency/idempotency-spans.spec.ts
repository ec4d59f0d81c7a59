import { describe, expect, it } from '@jest/globals';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { IdempotencyService, type ReconcilableWrite } from './idempotency.service.js';
import { UpstreamError } from '../deepcall/upstream.error.js';
import { MemoryStateStore } from '../state/memory-state.store.js';
import { RedisKeys } from '../state/redis-keys.js';
import { SessionSecrets } from '../state/session-secrets.js';
import { tracer } from '../telemetry/tracer.js';
import { recordSpans } from '../../test/support/recorded-spans.js';

// The caller's idempotency key never appears in a span.
const SECRETS = { idempotencyKey: 'idem-key-77e1c0ffee' };
const { named, parentOf, reset } = recordSpans(Object.values(SECRETS), { atLeast: 5 });

describe('the idempotency spans', () => {
  /** A write whose first attempt may fail after it landed, as a timeout does. */
  class LandingWrite implements ReconcilableWrite<number, { before: number[] }> {
    groups: number[] = [];
    failNext = false;
    async prepare() {
      return { before: [...this.groups] };
    }
    async run() {
      tracer.startSpan('the write').end();
      this.groups.push(this.groups.length + 1);
      if (this.failNext) {
        this.failNext = false;
        throw new UpstreamError('timeout', 'add');
      }
      return this.groups.length;
    }
    async reconcile({ before }: { before: number[] }) {
      const appeared = this.groups.filter((id) => !before.includes(id));
      return appeared.length === 1 ? { landed: appeared[0] } : { notLanded: { before: [...this.groups] } };
    }
  }

  let clock = 0;
  const store = new MemoryStateStore(() => clock);
  const service = new IdempotencyService(store, new RedisKeys('test:', new SessionSecrets('x'.repeat(32))), {
    now: () => clock,
  });
  const once = (write: LandingWrite, key = SECRETS.idempotencyKey, leaseMs = 1000) =>
    tracer.startActiveSpan('request', (span) =>
      service.once('user', key, 'fingerprint', leaseMs, write).finally(() => span.end()),
    );
  const outcomes = () => named('idempotency.lease').map((span) => span.attributes['groups_bff.lease.outcome']);

  it('records acquired, replayed and busy as the lease’s outcome, with the write as its child', async () => {
    const write = new LandingWrite();
    expect(await once(write)).toEqual({ answer: 1, replayed: false });
    const [lease] = named('idempotency.lease');
    expect(lease.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(lease)).toBe(named('request')[0].spanContext().spanId);
    expect(parentOf(named('the write')[0])).toBe(lease.spanContext().spanId);
    expect(await once(write)).toEqual({ answer: 1, replayed: true });

    write.failNext = true;
    await expect(once(write, 'other-key', 100)).rejects.toBeInstanceOf(UpstreamError);
    await expect(once(write, 'other-key')).rejects.toMatchObject({ kind: 'idempotencyInFlight' });
    expect(outcomes()).toEqual(['acquired', 'replayed', undefined, 'busy']);
    const [, , timedOut, busy] = named('idempotency.lease');
    expect(timedOut.attributes['error.type']).toBe('timeout');
    expect(timedOut.status.code).toBe(SpanStatusCode.ERROR);
    expect(busy.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('reconciles a write that may have landed in its own span, a child of the lease', async () => {
    const write = new LandingWrite();
    write.failNext = true;
    await expect(once(write, 'landing', 100)).rejects.toBeInstanceOf(UpstreamError);
    clock += 100; // the first attempt's lease ran out
    reset();
    expect(await once(write, 'landing')).toEqual({ answer: 1, replayed: true });
    const [reconcile] = named('idempotency.reconcile');
    expect(reconcile.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(reconcile)).toBe(named('idempotency.lease')[0].spanContext().spanId);
    expect(reconcile.attributes).toEqual({ 'groups_bff.reconcile.outcome': 'landed' });
    expect(outcomes()).toEqual(['replayed']);
  });
});
