import { DeepcallCode, type DeepcallOperation, READ_OPERATIONS, UPSTREAM_FAULT_CODES } from './deepcall-codes.js';
import { ANSWER_TOO_LARGE } from './undici-axios-adapter.js';

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

/**
 * A failed upstream call reduced to safe fields: no request config, headers, body or
 * credentials survive into it, so it may be logged as it is. How the caller sees it is the
 * deepcall feature's exception filter's business (upstream-error.filter.ts).
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
}

// What counts as what, decided here only: resilience, idempotency, sessions, the login
// throttle and the audit trail ask these predicates, never an HTTP status.

/** Transport codes that mean no answer at all. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Transport failures that happen before a request is sent: nothing reached DeepCall. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Gateway answers worth one more try for a read. */
const RETRYABLE_HTTP_STATUSES = new Set([502, 503, 504]);

/** Whether a transport error code means DeepCall could not be reached. */
export function isUnreachableTransport(code: string): boolean {
  return UNREACHABLE_CODES.has(code);
}

/** A non-2xx answer that is DeepCall's (or its gateway's) own failure, not a refusal. */
function isServerFailureStatus(error: UpstreamError): boolean {
  return (error.details.httpStatus ?? 500) >= 500;
}

/** Refused or unresolved before any byte went out. */
function neverSent(error: UpstreamError): boolean {
  return error.failure === 'unreachable' && NEVER_SENT_CODES.has(error.details.transportCode ?? '');
}

/**
 * Faults of DeepCall itself: they open the circuit. Application answers (group not found…) do not, nor
 * does what one caller brought on: an answer too large to accept (a huge account), or a call
 * whose client had gone away (its slowness may be the client's own doing).
 */
export function isUpstreamFault(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  if (error.details.transportCode === ANSWER_TOO_LARGE || error.details.clientAbandoned) return false;
  switch (error.failure) {
    case 'timeout':
      // Cut short by the request's own deadline: not proof that DeepCall is failing.
      return error.details.cutShortByDeadline !== true;
    case 'unreachable':
    case 'malformed':
      return true;
    case 'http-status':
      return isServerFailureStatus(error);
    case 'application':
      return UPSTREAM_FAULT_CODES.has(error.upstreamCode!);
    default:
      return false;
  }
}

/**
 * Safe to repeat: any call refused before it reached DeepCall; reads that failed in transit or
 * with a gateway failure. Never a timeout (the deadline is the caller's), never a write that may
 * have landed: creates are not retried blindly.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  if (error.details.transportCode === 'ECONNREFUSED') return true;
  if (!READ_OPERATIONS.has(error.operation)) return false;
  return (
    error.failure === 'unreachable' ||
    (error.failure === 'http-status' && RETRYABLE_HTTP_STATUSES.has(error.details.httpStatus!))
  );
}

/**
 * Whether a write that failed may have been carried out upstream anyway. Only an answer from
 * DeepCall that says no (an error code, a refusal), or a call that was never sent (circuit open,
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
      return isServerFailureStatus(error);
    case 'unreachable':
      return !neverSent(error);
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
  if (error.failure === 'circuit-open' || error.failure === 'deadline') return false;
  return !neverSent(error);
}

/** Whether DeepCall may still be working on the write: it has not answered at all. */
export function mayStillRun(error: unknown): boolean {
  return error instanceof UpstreamError && error.failure === 'timeout';
}

/** DeepCall called the credentials invalid or expired: an exchanged ssid is worth renewing once. */
export function isInvalidCredentials(error: unknown): boolean {
  return error instanceof UpstreamError && error.upstreamCode === DeepcallCode.invalidCredentials;
}

/** Codes by which DeepCall rejects the credentials themselves, in any module. */
const REJECTED_CREDENTIAL_CODES: ReadonlySet<number> = new Set([
  DeepcallCode.invalidCredentials,
  DeepcallCode.tokenNotProvided,
]);

/**
 * DeepCall said the credentials are wrong (as opposed to failing, or refusing the account).
 * At login, 1000 means bad authentication too (docs/deepcall-upstream.md).
 */
export function isRejectedCredentials(error: unknown): boolean {
  if (!(error instanceof UpstreamError) || error.failure !== 'application') return false;
  const code = error.upstreamCode!;
  return (
    REJECTED_CREDENTIAL_CODES.has(code) || (error.operation === 'login' && code === DeepcallCode.invalidParameters)
  );
}
