import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { UserConcurrency } from './user-concurrency.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { UserQueueMetrics } from '../metrics/user-queue.metrics.js';

function concurrency(userMaxConcurrentCalls: number, userMaxQueuedCalls: number) {
  const registry = new Registry();
  const settings = {
    loginMaxFailures: 5,
    loginFailureWindowSeconds: 900,
    loginMaxFailuresPerAddress: 50,
    userMaxConcurrentCalls,
    userMaxQueuedCalls,
  };
  const limiter = new UserConcurrency(settings, new UserQueueMetrics(registry));
  const metric = async (name: string) => (await registry.getSingleMetric(name)!.get()).values;
  return { limiter, metric };
}

/** A call that runs until released: what "in flight upstream" looks like to the limiter. */
function held() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  const call = { started: false, release: () => release(), run: async () => ((call.started = true), await done) };
  return call;
}

const farDeadline = () => performance.now() + 60_000;

describe('UserConcurrency', () => {
  it('runs calls beyond the limit in arrival order as slots free, refusing only beyond the queue', async () => {
    const { limiter, metric } = concurrency(2, 2);
    const calls = [held(), held(), held(), held()];
    const order: number[] = [];
    const running = calls.map((call, n) => limiter.run('u', () => call.run().then(() => order.push(n)), farDeadline()));
    expect(calls.map((call) => call.started)).toEqual([true, true, false, false]);
    expect((await metric('groups_bff_user_queue_calls'))[0].value).toBe(2);

    const refused = await limiter.run('u', async () => 'ran', farDeadline()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemError);
    expect((refused as ProblemError).kind).toBe('rateLimited');
    expect((refused as ProblemError).extras.retryAfterSeconds).toBe(1);
    expect((await metric('groups_bff_user_queue_refused_total'))[0].value).toBe(1);
    // Another user is not this user's queue.
    await expect(limiter.run('other', async () => 'served', farDeadline())).resolves.toBe('served');

    calls[1].release();
    await running[1];
    expect(calls[2].started).toBe(true);
    expect(calls[3].started).toBe(false);
    for (const call of calls) call.release();
    await Promise.all(running);
    expect(order).toEqual([1, 0, 2, 3]);
    expect((await metric('groups_bff_user_queue_calls'))[0].value).toBe(0);
  });

  it("answers a waiting call 504 at its own deadline, without running it, and keeps the others' turns", async () => {
    const { limiter, metric } = concurrency(1, 4);
    const first = held();
    const running = limiter.run('u', first.run, farDeadline());
    let ranLate = false;
    const late = limiter.run(
      'u',
      async () => {
        ranLate = true;
      },
      performance.now() + 20,
    );
    const patient = held();
    const patientRun = limiter.run('u', patient.run, farDeadline());

    const error = await late.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).kind).toBe('gatewayTimeout');
    expect(first.started && !patient.started).toBe(true);
    const waits = await metric('groups_bff_user_queue_wait_seconds');
    const deadlineCount = waits.find(
      (sample) =>
        sample.labels.outcome === 'deadline' && (sample as { metricName?: string }).metricName?.endsWith('_count'),
    );
    expect(deadlineCount?.value).toBe(1);

    first.release();
    await running;
    await new Promise((resolve) => setImmediate(resolve));
    expect(patient.started).toBe(true);
    expect(ranLate).toBe(false);
    patient.release();
    await patientRun;
  });

  it('with no queue, refuses a call beyond the limit at once', async () => {
    const { limiter } = concurrency(1, 0);
    const first = held();
    const running = limiter.run('u', first.run, farDeadline());
    await expect(limiter.run('u', async () => 'ran', farDeadline())).rejects.toMatchObject({ kind: 'rateLimited' });
    first.release();
    await running;
    await expect(limiter.run('u', async () => 'ran', farDeadline())).resolves.toBe('ran');
  });
});
