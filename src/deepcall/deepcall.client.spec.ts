import { describe, expect, it } from '@jest/globals';
import type { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { CircuitState } from 'cockatiel';
import { DeepcallSettings } from './deepcall.types.js';
import { DeepcallClient } from './deepcall.client.js';
import { UpstreamResilience } from './upstream-resilience.js';
import { UpstreamError } from './upstream.error.js';
import type { UpstreamMetrics } from '../metrics/upstream.metrics.js';

const settings: DeepcallSettings = {
  baseUrl: 'http://127.0.0.1:9',
  timeoutMs: 1000,
  // No time at all: every call's deadline has passed before it starts.
  requestDeadlineMs: 0,
  loginPath: undefined,
  loginSsidField: 'ssid',
  breakerThreshold: 1,
  // The open circuit lets its trial through at once.
  breakerCooldownMs: 0,
};

describe('DeepcallClient past the deadline', () => {
  it('sends nothing and leaves an open circuit open (no half-open trial is spent on it)', async () => {
    let sent = 0;
    const http = {
      axiosRef: axios.create({
        adapter: () => {
          sent += 1;
          throw new Error('nothing should be sent');
        },
      }),
    } as unknown as HttpService;
    const recorded: string[] = [];
    const metrics = {
      record: (_operation: string, outcome: string) => void recorded.push(outcome),
    } as unknown as UpstreamMetrics;
    const resilience = new UpstreamResilience(settings);
    const client = new DeepcallClient(http, settings, resilience, metrics);
    await resilience
      .execute('list', () => Promise.reject(new UpstreamError('unreachable', 'list', { transportCode: 'ECONNRESET' })))
      .catch(() => undefined);
    expect(resilience.breaker.state).toBe(CircuitState.Open);

    const failure = await client.post('list', '/api/v2/Group/list', {}).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).failure).toBe('deadline');
    expect(sent).toBe(0);
    expect(recorded).toEqual(['deadline']);
    expect(resilience.breaker.state).toBe(CircuitState.Open);
  });
});
