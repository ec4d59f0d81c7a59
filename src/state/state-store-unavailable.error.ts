import { ProblemError } from '../core/problem/problem.error.js';

/** The store did not answer in time; callers decide whether to serve without it. */
export class StateStoreUnavailableError extends Error {
  constructor(readonly operation: string) {
    super(`Session store unavailable during ${operation}`);
    this.name = 'StateStoreUnavailableError';
  }

  toProblem(): ProblemError {
    return new ProblemError('unavailable', undefined, {
      retryAfterSeconds: 1,
      logContext: { store: { operation: this.operation } },
    });
  }
}
