import { describe, expect, it } from '@jest/globals';
import { callTimeoutMs, deadlineOf, timeLeftMs } from './request-deadline.js';

describe('request deadline', () => {
  it('ends the budget after the request arrived, not after the call starts', () => {
    expect(deadlineOf(1000, 10_000, 4000)).toBe(11_000);
    expect(timeLeftMs(11_000, 4000)).toBe(7000);
  });

  it('gives work without a request a whole budget from now', () => {
    expect(deadlineOf(undefined, 10_000, 500)).toBe(10_500);
  });

  it('gives a call the smaller of its own timeout and what is left', () => {
    expect(callTimeoutMs(11_000, 5000, 1000)).toBe(5000);
    expect(callTimeoutMs(11_000, 5000, 8000.4)).toBe(2999);
    expect(callTimeoutMs(11_000, 5000, 12_000)).toBeLessThanOrEqual(0);
  });
});
