/** The store did not answer in time; callers decide whether to serve without it. */
export class StateStoreUnavailableError extends Error {
  constructor(readonly operation: string) {
    super(`Session store unavailable during ${operation}`);
    this.name = 'StateStoreUnavailableError';
  }
}
