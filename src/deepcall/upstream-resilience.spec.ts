import { describe, expect, it } from '@jest/globals';
import type { DeepcallOperation } from './deepcall-codes.js';
import { DeepcallSettings } from './deepcall.types.js';
import { UpstreamResilience } from './upstream-resilience.js';
import { UpstreamError } from './upstream.error.js';

const settings = (overrides: Partial<DeepcallSettings> = {}): DeepcallSettings => ({
  baseUrl: 'http://unused',
  timeoutMs: 1000,
  requestDeadlineMs: 10_000,
  loginPath: undefined,
  loginSsidField: 'ssid',
  breakerThreshold: 1000,
  breakerCooldownMs: 100,
  ...overrides,
});

/** Runs one call that fails with `error` every time; answers how many attempts were made. */
async function attemptsFor(resilience: UpstreamResilience, error: UpstreamError): Promise<number> {
  let attempts = 0;
  await resilience
    .execute(error.operation, async () => {
      attempts += 1;
      throw error;
    })
    .catch(() => undefined);
  return attempts;
}

const refused = (operation: DeepcallOperation) =>
  new UpstreamError('unreachable', operation, { transportCode: 'ECONNREFUSED' });
const reset = (operation: DeepcallOperation) =>
  new UpstreamError('unreachable', operation, { transportCode: 'ECONNRESET' });

describe('UpstreamResilience retries', () => {
  it.each([
    ['a refused create (it never reached DeepCall)', refused('add'), 2],
    ['a refused update', refused('update'), 2],
    ['a reset create (it may have landed)', reset('add'), 1],
    ['a reset list', reset('list'), 2],
    ['a list answered 503', new UpstreamError('http-status', 'list', { httpStatus: 503 }), 2],
    ['a list answered 500', new UpstreamError('http-status', 'list', { httpStatus: 500 }), 1],
    ['a list past its deadline', new UpstreamError('timeout', 'list'), 1],
    ['a create past its deadline', new UpstreamError('timeout', 'add'), 1],
    ['a rate-limited list', new UpstreamError('rate-limited', 'list', { httpStatus: 429 }), 1],
    ['an application error', new UpstreamError('application', 'list', { upstreamCode: 1503 }), 1],
  ])('%s: %i attempt(s)', async (_label, error, expected) => {
    expect(await attemptsFor(new UpstreamResilience(settings()), error)).toBe(expected);
  });

  it('keeps retries within about 20% of calls when upstream keeps failing', async () => {
    const resilience = new UpstreamResilience(settings());
    let attempts = 0;
    for (let call = 0; call < 200; call += 1) attempts += await attemptsFor(resilience, reset('list'));
    expect(attempts).toBeGreaterThan(200);
    expect(attempts).toBeLessThanOrEqual(200 * 1.2 + 1);
  });

  it('does not start a retry that could not finish before the request deadline', async () => {
    const resilience = new UpstreamResilience(settings({ timeoutMs: 1000 }));
    let attempts = 0;
    const failing = async () => {
      attempts += 1;
      throw reset('list');
    };
    await resilience.execute('list', failing, performance.now() + 900).catch(() => undefined);
    expect(attempts).toBe(1);
    await resilience.execute('list', failing, performance.now() + 5000).catch(() => undefined);
    expect(attempts).toBe(3);
  });

  it('passes a success through untouched', async () => {
    expect(await new UpstreamResilience(settings()).execute('list', async () => 'fine')).toBe('fine');
  });
});

describe('UpstreamResilience circuit breaker', () => {
  it('opens after consecutive faults, then answers without calling upstream', async () => {
    const resilience = new UpstreamResilience(settings({ breakerThreshold: 3, breakerCooldownMs: 5000 }));
    for (let n = 0; n < 3; n += 1) await attemptsFor(resilience, new UpstreamError('timeout', 'list'));
    expect(resilience.circuitOpen).toBe(true);
    let called = false;
    const error = await resilience
      .execute('list', async () => {
        called = true;
        return 'unreachable';
      })
      .catch((caught: unknown) => caught);
    expect(called).toBe(false);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).failure).toBe('circuit-open');
    expect((error as UpstreamError).details.retryAfterSeconds).toBe(5);
  });

  it('does not open on application answers: DeepCall is healthy when it says "not found"', async () => {
    const resilience = new UpstreamResilience(settings({ breakerThreshold: 2 }));
    for (let n = 0; n < 5; n += 1)
      await attemptsFor(resilience, new UpstreamError('application', 'list', { upstreamCode: 1503 }));
    expect(resilience.circuitOpen).toBe(false);
  });

  it('does not open on timeouts cut short by the request deadline: DeepCall was not given its time', async () => {
    const resilience = new UpstreamResilience(settings({ breakerThreshold: 2 }));
    for (let n = 0; n < 5; n += 1)
      await attemptsFor(resilience, new UpstreamError('timeout', 'list', { cutShortByDeadline: true }));
    expect(resilience.circuitOpen).toBe(false);
  });

  it('half-open means one trial: while it runs, every other call is refused at once', async () => {
    // No cooldown: the first call after the circuit opens is its trial.
    const resilience = new UpstreamResilience(settings({ breakerThreshold: 1, breakerCooldownMs: 0 }));
    await attemptsFor(resilience, new UpstreamError('timeout', 'add'));
    expect(resilience.circuitOpen).toBe(true);
    let endTrial!: (value: string) => void;
    let trialRunning = false;
    const trial = resilience.execute('list', () => {
      trialRunning = true;
      return new Promise<string>((resolve) => (endTrial = resolve));
    });
    while (!trialRunning) await new Promise((resolve) => setImmediate(resolve));
    let othersCalled = 0;
    const others = await Promise.all(
      Array.from({ length: 19 }, () =>
        resilience
          .execute('list', async () => (othersCalled += 1))
          .then(
            () => 'served',
            (error: UpstreamError) => error,
          ),
      ),
    );
    expect(othersCalled).toBe(0);
    for (const refused of others)
      expect(refused).toMatchObject({ failure: 'circuit-open', details: { retryAfterSeconds: 1 } });
    endTrial('recovered');
    expect(await trial).toBe('recovered');
    expect(await resilience.execute('list', async () => 'closed again')).toBe('closed again');
  });

  it('does not open on answers too large to accept, nor on calls whose client went away', async () => {
    const resilience = new UpstreamResilience(settings({ breakerThreshold: 2 }));
    for (let n = 0; n < 5; n += 1) {
      await attemptsFor(
        resilience,
        new UpstreamError('malformed', 'list', { transportCode: 'ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED' }),
      );
      await attemptsFor(resilience, new UpstreamError('timeout', 'list', { clientAbandoned: true }));
    }
    expect(resilience.circuitOpen).toBe(false);
    for (let n = 0; n < 2; n += 1) await attemptsFor(resilience, new UpstreamError('timeout', 'list'));
    expect(resilience.circuitOpen).toBe(true);
  });

  it('half-opens after the cooldown and closes again on a successful trial call', async () => {
    const resilience = new UpstreamResilience(settings({ breakerThreshold: 1, breakerCooldownMs: 100 }));
    await attemptsFor(resilience, new UpstreamError('timeout', 'add'));
    expect(resilience.circuitOpen).toBe(true);
    const deadline = Date.now() + 2000;
    let answer: unknown;
    while (answer !== 'recovered' && Date.now() < deadline) {
      answer = await resilience.execute('list', async () => 'recovered').catch((error: UpstreamError) => error.failure);
      if (answer !== 'recovered') await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(answer).toBe('recovered');
    expect(resilience.circuitOpen).toBe(false);
  });
});
