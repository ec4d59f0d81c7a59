import { describe, expect, it } from '@jest/globals';
import { requestContextFor } from '../../test/support/request-context.js';
import { ReplyError } from 'ioredis';
import { runInRequestContext } from '../core/request/request-context.js';
import { StateStoreUnavailableError } from './state-store-unavailable.error.js';
import { StoreGate } from './store-gate.js';

const BUDGET_MS = 60;
const never = () => new Promise<never>(() => undefined);
const answerAfter = (ms: number) => () => new Promise<string>((resolve) => setTimeout(() => resolve('OK'), ms));

async function outcome(call: Promise<unknown>): Promise<{ failed: boolean; ms: number }> {
  const started = performance.now();
  const failed = await call.then(
    () => false,
    (error: unknown) => {
      expect(error).toBeInstanceOf(StateStoreUnavailableError);
      return true;
    },
  );
  return { failed, ms: performance.now() - started };
}

function inRequest<T>(work: () => Promise<T>): Promise<T> {
  return runInRequestContext(requestContextFor('req-1'), work);
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('StoreGate', () => {
  it('fails a command without an answer after one budget, then every command at once until a probe is answered', async () => {
    let probeAnswers = false;
    const gate = new StoreGate(BUDGET_MS, () =>
      probeAnswers ? Promise.resolve('PONG') : Promise.reject(new Error('down')),
    );
    try {
      const first = await outcome(gate.run('read', never));
      expect(first.failed).toBe(true);
      expect(first.ms).toBeGreaterThanOrEqual(BUDGET_MS - 5);
      expect(gate.knownDown).toBe(true);
      let reached = false;
      const second = await outcome(
        gate.run('read', () => {
          reached = true;
          return Promise.resolve('v');
        }),
      );
      expect(second).toMatchObject({ failed: true });
      expect(second.ms).toBeLessThan(10);
      expect(reached).toBe(false);
      expect(gate.skipped['known-down']).toBe(1);
      probeAnswers = true;
      await until(() => !gate.knownDown);
      await expect(gate.run('read', () => Promise.resolve('v'))).resolves.toBe('v');
    } finally {
      gate.close();
    }
  });

  it('gives all store calls of one request one budget together, without calling the store down for it', async () => {
    const gate = new StoreGate(BUDGET_MS, () => Promise.resolve('PONG'));
    const [first, second, third] = await inRequest(async () => [
      await outcome(gate.run('read', answerAfter(BUDGET_MS * 0.6))),
      await outcome(gate.run('write', answerAfter(BUDGET_MS * 0.6))),
      await outcome(gate.run('write', answerAfter(1))),
    ]);
    expect(first.failed).toBe(false);
    // The second had what the first left: it ends then, and the third is not sent at all.
    expect(second.failed).toBe(true);
    expect(second.ms).toBeLessThan(BUDGET_MS * 0.6);
    expect(third).toMatchObject({ failed: true });
    expect(gate.skipped['budget-spent']).toBe(1);
    expect(gate.knownDown).toBe(false);
    // Another request has a budget of its own.
    expect((await inRequest(() => outcome(gate.run('read', answerAfter(BUDGET_MS * 0.6))))).failed).toBe(false);
  });

  it('counts concurrent calls of a request once, and takes an error reply for an answer', async () => {
    const gate = new StoreGate(BUDGET_MS, () => Promise.resolve('PONG'));
    const answers = await inRequest(() =>
      Promise.all([0, 1, 2].map(() => outcome(gate.run('exists', answerAfter(BUDGET_MS * 0.4))))),
    );
    expect(answers.map((answer) => answer.failed)).toEqual([false, false, false]);
    const replied = await outcome(gate.run('eval', () => Promise.reject(new ReplyError('WRONGTYPE') as Error)));
    expect(replied.failed).toBe(true);
    expect(gate.knownDown).toBe(false);
  });
});
