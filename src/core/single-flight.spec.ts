import { describe, expect, it } from '@jest/globals';
import { SingleFlight } from './single-flight.js';

describe('SingleFlight', () => {
  it('shares one run among calls with one key while it runs, and starts afresh after it settles', async () => {
    const flights = new SingleFlight();
    let starts = 0;
    let finish!: (value: string) => void;
    const start = () => {
      starts += 1;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const first = flights.run('a', start);
    const second = flights.run('a', start);
    const other = flights.run('b', () => Promise.resolve('b'));
    expect(starts).toBe(1);
    finish('done');
    expect(await Promise.all([first, second, other])).toEqual(['done', 'done', 'b']);
    const third = flights.run('a', start);
    expect(starts).toBe(2);
    finish('again');
    expect(await third).toBe('again');
  });

  it('shares a failure too, then forgets it', async () => {
    const flights = new SingleFlight();
    let starts = 0;
    const failing = () => {
      starts += 1;
      return Promise.reject(new Error('refused'));
    };
    const results = await Promise.allSettled([flights.run('a', failing), flights.run('a', failing)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(starts).toBe(1);
    await expect(flights.run('a', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
