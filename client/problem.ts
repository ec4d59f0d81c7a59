import type { components } from './schema.js';

/** An error answer of the service (RFC 9457, `application/problem+json`). */
export type Problem = components['schemas']['ProblemDto'];

/**
 * The `type` of every kind of problem. They are stable identifiers (tag URIs, not pages):
 * branch on them, or on `status` when the kind does not matter.
 */
export const PROBLEM_TYPES = {
  validation: 'tag:groups-bff,2026:problem:validation-failed',
  malformedRequest: 'tag:groups-bff,2026:problem:malformed-request',
  upstreamRejectedInput: 'tag:groups-bff,2026:problem:upstream-rejected-input',
  unauthorized: 'tag:groups-bff,2026:problem:unauthorized',
  forbidden: 'tag:groups-bff,2026:problem:forbidden',
  notFound: 'tag:groups-bff,2026:problem:not-found',
  methodNotAllowed: 'tag:groups-bff,2026:problem:method-not-allowed',
  requestTimeout: 'tag:groups-bff,2026:problem:request-timeout',
  idempotencyInFlight: 'tag:groups-bff,2026:problem:idempotency-key-in-flight',
  payloadTooLarge: 'tag:groups-bff,2026:problem:payload-too-large',
  uriTooLong: 'tag:groups-bff,2026:problem:uri-too-long',
  unsupportedMediaType: 'tag:groups-bff,2026:problem:unsupported-media-type',
  idempotencyKeyReused: 'tag:groups-bff,2026:problem:idempotency-key-reused',
  rateLimited: 'tag:groups-bff,2026:problem:rate-limited',
  headersTooLarge: 'tag:groups-bff,2026:problem:headers-too-large',
  internal: 'tag:groups-bff,2026:problem:internal-error',
  badGateway: 'tag:groups-bff,2026:problem:upstream-failed',
  unavailable: 'tag:groups-bff,2026:problem:service-unavailable',
  gatewayTimeout: 'tag:groups-bff,2026:problem:upstream-timeout',
} as const;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

/** True for a parsed problem+json body (the shape every error answer of the service has). */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const { type, title, status } = value as Record<string, unknown>;
  return typeof type === 'string' && typeof title === 'string' && typeof status === 'number';
}

/** Thrown by `unwrap` for every error answer; `problem` is the body, typed. */
export class ProblemError extends Error {
  constructor(
    readonly problem: Problem,
    /** The HTTP response, for headers such as Retry-After. */
    readonly response: Response,
  ) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = 'ProblemError';
  }

  get status(): number {
    return this.problem.status;
  }

  get type(): string {
    return this.problem.type;
  }

  /** Whether this is the given kind of problem, e.g. `error.is('notFound')`. */
  is(kind: ProblemKind): boolean {
    return this.problem.type === PROBLEM_TYPES[kind];
  }
}

/** Type guard for catch blocks; with a kind, also checks the problem is of that kind. */
export function isProblemError(error: unknown, kind?: ProblemKind): error is ProblemError {
  return error instanceof ProblemError && (kind === undefined || error.is(kind));
}

/** An error answer without a problem body: not from this service (a proxy's 502 page, say). */
export class UnexpectedResponseError extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status} without a problem+json body`);
    this.name = 'UnexpectedResponseError';
  }
}
