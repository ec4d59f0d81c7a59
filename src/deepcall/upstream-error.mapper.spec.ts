import { describe, expect, it } from '@jest/globals';
import type { DeepcallOperation } from './deepcall-codes.js';
import { mapUpstreamError, upstreamProblem } from './upstream-error.mapper.js';
import { UpstreamError } from './upstream.error.js';

const application = (code: number, operation: DeepcallOperation = 'list') =>
  new UpstreamError('application', operation, { upstreamCode: code, httpStatus: 200 });

describe('mapUpstreamError (docs/api-contract.md error table)', () => {
  it.each([
    [1014, 401],
    [1020, 401],
    [1015, 403],
    [1039, 403],
    [1503, 404],
    [1012, 404],
    [1000, 400],
    [1001, 400],
    [1501, 400],
    [1502, 400],
    [1009, 502],
    [1010, 502],
    [1032, 502],
    [1047, 502],
    [4242, 502],
  ])('maps group-context code %i to HTTP %i and keeps the code', (code, status) => {
    const problem = mapUpstreamError(application(code), 'group');
    expect(problem.status).toBe(status);
    expect(problem.extras.upstreamCode).toBe(code);
  });

  it('maps codes from 1501 up only in the Group context', () => {
    expect(mapUpstreamError(application(1503, 'login'), 'login').status).toBe(502);
    expect(mapUpstreamError(application(1501, 'login'), 'login').status).toBe(502);
  });

  it('treats 1000 at login as a rejected login', () => {
    expect(mapUpstreamError(application(1000, 'login'), 'login').status).toBe(401);
  });

  it.each([
    ['timeout', 504],
    ['unreachable', 502],
    ['http-status', 502],
    ['malformed', 502],
    ['rate-limited', 429],
  ] as const)('maps a %s failure to HTTP %i without an upstream code', (failure, status) => {
    const problem = mapUpstreamError(new UpstreamError(failure, 'add', { retryAfterSeconds: 7 }), 'group');
    expect(problem.status).toBe(status);
    expect(problem.extras.upstreamCode).toBeUndefined();
  });

  it('passes Retry-After on for rate limiting', () => {
    const problem = mapUpstreamError(new UpstreamError('rate-limited', 'list', { retryAfterSeconds: 7 }), 'group');
    expect(problem.extras.retryAfterSeconds).toBe(7);
  });

  it('chooses the context from the operation when converted by the filter', () => {
    expect(upstreamProblem(application(1503, 'login')).status).toBe(502);
    expect(upstreamProblem(application(1503, 'update')).status).toBe(404);
  });
});
