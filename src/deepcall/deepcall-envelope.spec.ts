import { describe, expect, it } from '@jest/globals';
import { parseRetryAfter, readEnvelope } from './deepcall-envelope.js';
import { UpstreamError } from './upstream.error.js';

function failure(fn: () => unknown): UpstreamError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

describe('readEnvelope', () => {
  it('returns a success envelope', () => {
    expect(readEnvelope('add', 200, '{"status":"success","groupId":12,"code":200}', undefined)).toMatchObject({
      groupId: 12,
    });
  });

  it.each([200, 400, 404, 500])('trusts an error body under HTTP %i', (status) => {
    const error = failure(() =>
      readEnvelope('list', status, '{"status":"error","message":"x","code":1503}', undefined),
    );
    expect(error.failure).toBe('application');
    expect(error.upstreamCode).toBe(1503);
  });

  it('reads a code sent as a string', () => {
    expect(failure(() => readEnvelope('list', 200, '{"status":"error","code":"1014"}', undefined)).upstreamCode).toBe(
      1014,
    );
  });

  it.each([
    ['<html>oops</html>', 200, 'malformed'],
    ['[1,2]', 200, 'malformed'],
    ['{"status":"weird"}', 200, 'malformed'],
    ['{"status":"error"}', 200, 'malformed'],
    ['<html>bad gateway</html>', 502, 'http-status'],
    ['{"status":"success"}', 503, 'http-status'],
  ])('classifies %s under %i as %s', (body, status, kind) => {
    expect(failure(() => readEnvelope('list', status, body, undefined)).failure).toBe(kind);
  });

  it('turns HTTP 429 into rate-limited with its Retry-After', () => {
    const error = failure(() => readEnvelope('list', 429, 'slow down', '12'));
    expect(error.failure).toBe('rate-limited');
    expect(error.details.retryAfterSeconds).toBe(12);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, at least 1', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('0', now)).toBe(1);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter(undefined, now)).toBe(1);
    expect(parseRetryAfter('soon', now)).toBe(1);
  });
});
