/**
 * The one wall-clock source for business time (session expiries, idempotency leases), so those
 * rules can be tested without waiting. Durations and deadlines use the monotonic performance.now().
 */
export class Clock {
  now(): number {
    return Date.now();
  }
}
