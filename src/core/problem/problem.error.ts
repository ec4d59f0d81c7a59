import { PROBLEM_KINDS, ProblemKind } from './problem-kinds.js';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemExtras {
  errors?: FieldError[];
  upstreamCode?: number;
  /** Seconds, sent as the Retry-After header. */
  retryAfterSeconds?: number;
  /** Instead of the request path, when echoing it would be wrong (a 414's over-long URL). */
  instance?: string;
  /** Further response headers (Allow on a 405, RateLimit on a 429). */
  headers?: Record<string, string>;
  /** Kept for logs only (never rendered): what really went wrong, already free of secrets. */
  logContext?: Record<string, unknown>;
}

/** An error that is meant to reach the caller as a problem+json answer. */
export class ProblemError extends Error {
  readonly status: number;

  constructor(
    readonly kind: ProblemKind,
    readonly detail: string = PROBLEM_KINDS[kind].detail,
    readonly extras: ProblemExtras = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.status = PROBLEM_KINDS[kind].status;
  }
}

/** A problem the caller brought on (a 4xx kind): the answer to their request, not a failure of ours. */
export function isCallersProblem(error: unknown): boolean {
  return error instanceof ProblemError && error.status < 500;
}
