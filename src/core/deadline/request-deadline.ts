import { currentRequest } from '../request/request-context.js';

/**
 * One request's deadline (REQUEST_DEADLINE_MS), shared by every upstream call made for it:
 * reads, the write, read-back, re-login and retries all spend the same budget. Instants are
 * `performance.now()` milliseconds, so wall-clock jumps do not move them.
 */

/**
 * The instant the request's time is up. `receivedAt` (the request trace's) is undefined for work
 * not started by a request: it gets a whole budget from now.
 */
export function deadlineOf(receivedAt: number | undefined, budgetMs: number, now = performance.now()): number {
  return (receivedAt ?? now) + budgetMs;
}

/** The deadline of the request being served (its context's), else a whole budget from now. */
export function currentDeadline(budgetMs: number): number {
  return deadlineOf(currentRequest()?.receivedAt, budgetMs);
}

/** Milliseconds left before `deadlineAt`; zero or less when it has passed. */
export function timeLeftMs(deadlineAt: number, now = performance.now()): number {
  return deadlineAt - now;
}

/** The timeout one call may use: its own, or what is left of the request when that is less. */
export function callTimeoutMs(deadlineAt: number, perCallMs: number, now = performance.now()): number {
  return Math.min(perCallMs, Math.floor(timeLeftMs(deadlineAt, now)));
}
