import { describe, expect, it } from '@jest/globals';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { InsuredCounter } from './insured-counter.js';
import { StoreGate } from '../state/store-gate.js';

const limits = { points: 2, duration: 60 };

describe('InsuredCounter', () => {
  it('passes the shared counter’s refusals on as refusals, without calling the store down', async () => {
    const gate = new StoreGate(50, () => Promise.resolve('PONG'));
    const shared = new RateLimiterMemory(limits);
    const counter = new InsuredCounter(shared, new RateLimiterMemory(limits), gate);
    await counter.consume('k');
    await counter.consume('k');
    await expect(counter.consume('k')).rejects.toBeInstanceOf(RateLimiterRes);
    expect(gate.knownDown).toBe(false);
    expect((await shared.get('k'))?.consumedPoints).toBe(3);
  });

  it('counts in memory, with the same limits, while the shared counter does not answer', async () => {
    const gate = new StoreGate(30, () => Promise.reject(new Error('still down')));
    try {
      const unanswering = new RateLimiterMemory(limits);
      unanswering.consume = () => new Promise<never>(() => undefined);
      const insurance = new RateLimiterMemory(limits);
      const counter = new InsuredCounter(unanswering, insurance, gate);
      const started = performance.now();
      await counter.consume('k'); // waits one budget, then counts in memory
      await counter.consume('k'); // at once: the store is known down
      await expect(counter.consume('k')).rejects.toBeInstanceOf(RateLimiterRes);
      expect(performance.now() - started).toBeLessThan(200);
      expect(gate.knownDown).toBe(true);
      expect((await insurance.get('k'))?.consumedPoints).toBe(3);
    } finally {
      gate.close();
    }
  });
});
