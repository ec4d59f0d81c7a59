/** What the store keeps under an Idempotency-Key (JSON). */
export interface IdempotencyRecord<T, Intent> {
  /** `calling`: the write was about to be sent, outcome unknown until `done`; `ambiguous`: it cannot be told. */
  state: 'calling' | 'done' | 'ambiguous';
  /** Of the request body: the same key with another body is a 422. */
  fingerprint: string;
  intent?: Intent;
  answer?: T;
}

/** The lease: held by the one attempt that may be running, until its request deadline. */
export interface IdempotencyLease {
  attempt: string;
  fingerprint: string;
  /** Epoch ms when the lease runs out: the Retry-After of a 409. */
  until: number;
}
