import { UpstreamError } from '../deepcall/upstream.error.js';

/** Transport failures that happen before a request is sent: nothing reached DeepCall. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether a write that failed may have been carried out upstream anyway. Only an answer from
 * DeepCall that says no (an error code, a 4xx), or a call that was never sent (circuit open,
 * deadline passed, connection refused, our own store failing first), proves it was not.
 */
export function mayHaveLanded(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  switch (error.failure) {
    case 'application':
    case 'rate-limited':
    case 'circuit-open':
    case 'deadline':
      return false;
    case 'http-status':
      return (error.details.httpStatus ?? 500) >= 500;
    case 'unreachable':
      return !NEVER_SENT.has(error.details.transportCode ?? '');
    case 'timeout':
    case 'malformed':
      return true;
  }
}

/**
 * Whether a failed call was sent to DeepCall at all: not when the circuit or the deadline
 * refused it, the connection was never made, or something of ours (the store) failed first.
 */
export function reachedDeepcall(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  switch (error.failure) {
    case 'circuit-open':
    case 'deadline':
      return false;
    case 'unreachable':
      return !NEVER_SENT.has(error.details.transportCode ?? '');
    default:
      return true;
  }
}

/** Whether DeepCall may still be working on the write: it has not answered at all. */
export function mayStillRun(error: unknown): boolean {
  return error instanceof UpstreamError && error.failure === 'timeout';
}
