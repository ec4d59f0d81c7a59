/** How an upstream call failed. */
export type UpstreamFailure =
  | 'application' // an error envelope: status "error" with a code
  | 'rate-limited' // HTTP 429
  | 'timeout' // past DEEPCALL_TIMEOUT_MS, or past what was left of REQUEST_DEADLINE_MS (cutShortByDeadline)
  | 'deadline' // not called: the request's deadline (REQUEST_DEADLINE_MS) had passed
  | 'unreachable' // refused, reset, DNS: no answer at all
  | 'http-status' // a non-2xx without an error envelope
  | 'malformed' // not JSON, or not the shape docs/deepcall-upstream.md describes
  | 'circuit-open'; // not called: DeepCall failed repeatedly and calls are paused

import { ProblemError } from '../core/problem/problem.error.js';
import type { DeepcallOperation } from './deepcall-codes.js';
import { mapUpstreamError } from './upstream-error.mapper.js';

/**
 * A failed upstream call reduced to safe fields: no request config, headers, body or
 * credentials survive into it, so it may be logged as it is.
 */
export class UpstreamError extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    readonly operation: DeepcallOperation,
    readonly details: {
      upstreamCode?: number;
      httpStatus?: number;
      retryAfterSeconds?: number;
      transportCode?: string;
      durationMs?: number;
      /** A timeout shorter than DEEPCALL_TIMEOUT_MS because the request's deadline was nearer. */
      cutShortByDeadline?: boolean;
      /** The request this call served was abandoned by its client before the call ended. */
      clientAbandoned?: boolean;
    } = {},
  ) {
    super(
      `DeepCall ${operation} failed: ${failure}${details.upstreamCode !== undefined ? ` (code ${details.upstreamCode})` : ''}`,
    );
    this.name = 'UpstreamError';
  }

  get upstreamCode(): number | undefined {
    return this.details.upstreamCode;
  }

  /** How the caller sees it (the error table of docs/api-contract.md); login answers use the User module's codes. */
  toProblem(): ProblemError {
    return mapUpstreamError(this, this.operation === 'login' ? 'login' : 'group');
  }
}
