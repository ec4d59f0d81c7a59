import { describe, expect, it } from '@jest/globals';
import { mayHaveLanded, mayStillRun, reachedDeepcall } from '../deepcall/upstream.error.js';
import { UpstreamError } from '../deepcall/upstream.error.js';
import { StateStoreUnavailableError } from '../state/state-store-unavailable.error.js';

describe('the outcome of a failed write', () => {
  it.each([
    ['DeepCall answered an error code', new UpstreamError('application', 'add', { upstreamCode: 1009 })],
    ['DeepCall rate-limited it', new UpstreamError('rate-limited', 'add', { httpStatus: 429 })],
    ['the circuit was open', new UpstreamError('circuit-open', 'add')],
    ['the deadline had passed', new UpstreamError('deadline', 'add')],
    ['the connection was refused', new UpstreamError('unreachable', 'add', { transportCode: 'ECONNREFUSED' })],
    ['a 4xx without an envelope', new UpstreamError('http-status', 'add', { httpStatus: 404 })],
    ['the session store failed first', new StateStoreUnavailableError('read')],
  ])('did not land: %s', (_label, error) => {
    expect(mayHaveLanded(error)).toBe(false);
  });

  it.each([
    ['a timeout', new UpstreamError('timeout', 'add'), true],
    ['a reset after sending', new UpstreamError('unreachable', 'add', { transportCode: 'ECONNRESET' }), false],
    ['a 5xx', new UpstreamError('http-status', 'add', { httpStatus: 502 }), false],
    ['an answer that could not be read', new UpstreamError('malformed', 'add'), false],
  ])('may have landed: %s (DeepCall may still be working on it: %s)', (_label, error, stillRunning) => {
    expect(mayHaveLanded(error)).toBe(true);
    expect(mayStillRun(error)).toBe(stillRunning);
  });
});

describe('whether a failed call reached DeepCall (what the audit trail records)', () => {
  it.each([
    ['the circuit was open', new UpstreamError('circuit-open', 'add'), false],
    ['the deadline had passed', new UpstreamError('deadline', 'add'), false],
    ['the connection was refused', new UpstreamError('unreachable', 'add', { transportCode: 'ECONNREFUSED' }), false],
    ['the session store failed first', new StateStoreUnavailableError('read'), false],
    ['DeepCall answered an error code', new UpstreamError('application', 'add', { upstreamCode: 1503 }), true],
    ['a reset after sending', new UpstreamError('unreachable', 'add', { transportCode: 'ECONNRESET' }), true],
    ['a timeout', new UpstreamError('timeout', 'add'), true],
  ])('%s: %s', (_label, error, reached) => {
    expect(reachedDeepcall(error)).toBe(reached);
  });
});
