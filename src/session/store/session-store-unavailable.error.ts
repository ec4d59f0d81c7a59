import { ProblemError } from '../../core/problem/problem.error.js';

/** The store did not answer in time; callers decide whether to serve without it. */
export class SessionStoreUnavailableError extends Error {
  constructor(readonly operation: string) {
    super(`Session store unavailable during ${operation}`);
    this.name = 'SessionStoreUnavailableError';
  }

  toProblem(): ProblemError {
    return new ProblemError('unavailable', 'Sessions are temporarily unavailable. Retry shortly, or authenticate with Basic credentials.', {
      retryAfterSeconds: 1,
      logContext: { store: { operation: this.operation } },
    });
  }
}
